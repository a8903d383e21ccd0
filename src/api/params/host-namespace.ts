import type { DataSource } from 'typeorm';
import { NotFoundError } from '../../common/api-errors.js';

/** The id of the host's namespace set; 404 until the first snapshot has recorded it. */
export async function hostNamespaceId(dataSource: DataSource): Promise<number> {
  const rows: { id: number }[] = await dataSource.query(
    `SELECT "id" FROM "namespaces" WHERE "identity" = 'host'`,
  );
  const id = rows[0]?.id;
  if (id === undefined) throw new NotFoundError('no snapshot of the host has been recorded yet');
  return id;
}
