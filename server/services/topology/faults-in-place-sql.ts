// The faults in place now, one row per instance (the newest run's): a handful of rows, joined by
// hash rather than probed per instance. Shared by the topology map and the instance list.
export const FAULTS_IN_PLACE_SQL = `SELECT DISTINCT ON (rt."instanceId") rt."instanceId", run.spec #>> '{fault,kind}' AS kind, e.name || ' #' || run.number AS run
      FROM "ExperimentRunTarget" rt
      JOIN "ExperimentRun" run ON run.id = rt."runId"
      JOIN "Experiment" e ON e.id = run."experimentId"
      WHERE rt.state = 'injected' AND run.state IN ('injecting', 'running', 'recovering')
      ORDER BY rt."instanceId", run."createdAt" DESC`;
