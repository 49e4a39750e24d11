-- AlterTable
ALTER TABLE "StateTransition" ADD COLUMN     "trigger" JSONB;

-- Backfill: weight rows written before this column get their trigger back from the sentence the
-- domain wrote (server/domain/weights.ts describeTrigger), so no query needs a fallback. The old
-- sentence said "crossed" both for a new crossing and for an input that stayed above; both are
-- stored as direction 'up'. Rows whose sentence matches nothing keep NULL (no query treats NULL
-- as a threshold).
UPDATE "StateTransition" SET "trigger" = CASE
    WHEN cause ~ '^P95 \d+ ms (crossed|fell back below) \d+ ms$' THEN jsonb_build_object(
      'kind', 'threshold', 'input', 'p95',
      'direction', CASE WHEN cause LIKE '% crossed %' THEN 'up' ELSE 'down' END,
      'value', (regexp_match(cause, '^P95 (\d+)'))[1]::float8,
      'threshold', (regexp_match(cause, '(\d+) ms$'))[1]::float8)
    WHEN cause ~ '^CPU \d+ % (crossed|fell back below) \d+ %$' THEN jsonb_build_object(
      'kind', 'threshold', 'input', 'cpu',
      'direction', CASE WHEN cause LIKE '% crossed %' THEN 'up' ELSE 'down' END,
      'value', (regexp_match(cause, '^CPU (\d+)'))[1]::float8,
      'threshold', (regexp_match(cause, '(\d+) %$'))[1]::float8)
    WHEN cause ~ '^\d+ connections (crossed|fell back below) \d+$' THEN jsonb_build_object(
      'kind', 'threshold', 'input', 'connections',
      'direction', CASE WHEN cause LIKE '% crossed %' THEN 'up' ELSE 'down' END,
      'value', (regexp_match(cause, '^(\d+)'))[1]::float8,
      'threshold', (regexp_match(cause, '(\d+)$'))[1]::float8)
    WHEN cause ~ '^periodic recompute \(every \d+ s\)$' THEN jsonb_build_object('kind', 'periodic', 'everyS', (regexp_match(cause, '(\d+) s\)$'))[1]::float8)
    WHEN cause = 'first computation' THEN '{"kind":"initial"}'::jsonb
    WHEN cause = 'instance drained by an operator' THEN '{"kind":"admin","state":"drain"}'::jsonb
    WHEN cause = 'instance put in maintenance by an operator' THEN '{"kind":"admin","state":"maintenance"}'::jsonb
    WHEN cause = 'instance returned to service by an operator' THEN '{"kind":"admin","state":"ready"}'::jsonb
    WHEN cause = 'instance unreachable' THEN '{"kind":"down"}'::jsonb
    WHEN cause = 'instance reachable again' THEN '{"kind":"up"}'::jsonb
    WHEN cause = 'policy changed' THEN '{"kind":"policy"}'::jsonb
  END
WHERE machine = 'weight' AND "trigger" IS NULL;
