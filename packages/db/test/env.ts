// The data-layer tests' environment: DATABASE_URL, when it names a PostgreSQL server, adds PostgreSQL
// to the databases the tests run on.
const url = process.env.DATABASE_URL ?? "";

export const postgresServerUrl = /^postgres(ql)?:\/\//.test(url) ? url : undefined;
