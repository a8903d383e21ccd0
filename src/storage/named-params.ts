/**
 * SQL written with named parameters (`:name`, each may appear several times) as SQLite's positional `?` and
 * the values in order of appearance: TypeORM's query() takes positional parameters only. Only the names in
 * `values` are replaced; a name used but not given is an error, not a silent NULL.
 */
export function positionalParams(
  sql: string,
  values: Readonly<Record<string, unknown>>,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const text = sql.replace(/:([a-z]+)\b/g, (_match, name: string) => {
    if (!Object.hasOwn(values, name)) throw new Error(`SQL parameter :${name} has no value`);
    params.push(values[name]);
    return '?';
  });
  return { sql: text, params };
}
