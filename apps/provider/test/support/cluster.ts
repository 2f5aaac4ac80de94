// Several real provider instances in this process on one PostgreSQL schema and one Redis, each on its
// own loopback port, all with the same issuer (as behind a load balancer).
import { type Env, readEnv } from "../../src/env";
import { startProvider } from "../../src/start";
import type { TestProvider } from "./provider";
import { type ClusterServices, redisPrefix } from "./services";

/** The issuer every instance of a cluster shares; each instance is reached at its own port. */
export const CLUSTER_ISSUER = "http://ciba.cluster.test";

export interface Cluster {
  /** `issuer` of each is its own base URL (http://127.0.0.1:<port>), for the test's requests. */
  instances: TestProvider[];
  /** The REDIS_PREFIX the instances share. */
  prefix: string;
  close(): Promise<void>;
}

/** The environment of one cluster instance: the shared issuer, database, Redis and Redis prefix. */
export function clusterEnv(services: ClusterServices, prefix: string, env: Record<string, string> = {}): Env {
  return readEnv({
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    HOST: "127.0.0.1",
    PORT: "0",
    ISSUER: CLUSTER_ISSUER,
    DATABASE_URL: services.databaseUrl,
    CONSOLE_URL: "http://127.0.0.1:1",
    REDIS_URL: services.redisUrl,
    REDIS_PREFIX: prefix,
    ...env,
  });
}

/** Starts `count` instances one after the other: the first migrates and seeds, the others join. */
export async function startCluster(services: ClusterServices, env: Record<string, string> = {}, count = 2): Promise<Cluster> {
  const prefix = redisPrefix();
  const instances: TestProvider[] = [];
  const close = async () => {
    await Promise.all(instances.map((instance) => instance.close()));
    await services.dispose();
  };
  try {
    for (let i = 0; i < count; i++) {
      const running = await startProvider({
        env: clusterEnv(services, prefix, env),
      });
      instances.push({
        ...running,
        issuer: `http://127.0.0.1:${running.port}`,
        restart: () => Promise.reject(new Error("cluster instances do not restart")),
      });
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { instances, prefix, close };
}
