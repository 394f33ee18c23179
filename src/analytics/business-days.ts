import type { DataSource } from 'typeorm';

/** A business day or run of days as instants: midnight to midnight in the business timezone, so a daylight-saving day lasts 23 or 25 hours. */
export interface DayRange {
  from: string;
  to: string;
  start: Date;
  end: Date;
}

/** `from`..`to` inclusive (YYYY-MM-DD); yesterday in the timezone when `from` is absent. */
export async function businessDays(db: DataSource, timezone: string, from?: string, to?: string): Promise<DayRange> {
  const [row] = (await db.query(
    `WITH d AS (SELECT coalesce($1::date, (now() AT TIME ZONE $3)::date - 1) AS first, coalesce($2::date, $1::date, (now() AT TIME ZONE $3)::date - 1) AS last)
     SELECT first::text AS from, last::text AS to, first::timestamp AT TIME ZONE $3 AS start, (last + 1)::timestamp AT TIME ZONE $3 AS end FROM d`,
    [from ?? null, to ?? null, timezone],
  )) as DayRange[];
  return row;
}
