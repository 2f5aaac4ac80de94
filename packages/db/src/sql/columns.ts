// Reading rows of the SQL layer: SQLite hands back DateTime as Prisma's ISO text and booleans as 0/1,
// PostgreSQL as Date and boolean; these turn either into what the repositories return.
export function asDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(value as string);
}

export function asDateOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : asDate(value);
}

export function asBoolean(value: unknown): boolean {
  return value === true || value === 1 || value === 1n;
}

export function asNumber(value: unknown): number {
  return typeof value === "number" ? value : Number(value);
}

export function asNumberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : asNumber(value);
}

export function asString(value: unknown): string {
  return value as string;
}

export function asStringOrNull(value: unknown): string | null {
  return value === undefined ? null : (value as string | null);
}
