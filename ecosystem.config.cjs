// PM2's process list for `./bin/dropflow-services start|status|stop|restart`: every role as its
// own process, one worker per queue at that queue's default concurrency. PM2 restarts a process
// that crashes or recycles itself (WORKER_MAX_JOBS / WORKER_MAX_RSS_MB), and stops them with
// SIGINT, which Dropflow handles like SIGTERM (finish active jobs within the grace period).
const QUEUES = ['suppliers', 'marketplaces', 'workflows', 'ai_processing', 'analytics', 'maintenance'];
const grace = Number(process.env.WORKER_SHUTDOWN_GRACE_MS ?? 30000);

const role = (name, env) => ({
  name,
  script: 'dist/main.js',
  cwd: __dirname,
  env: { ...env, DROPFLOW_PROCESS: name },
  autorestart: true,
  restart_delay: 1000,
  exp_backoff_restart_delay: 200,
  kill_timeout: grace + 5000,
  // Dropflow writes its own logs/<role or queue>.log; PM2 keeps what reaches stdout and stderr.
  out_file: `logs/pm2/${name}.out.log`,
  error_file: `logs/pm2/${name}.err.log`,
  merge_logs: true,
  time: false,
});

module.exports = {
  apps: [
    role('dropflow-api', { APP_ROLES: 'api' }),
    role('dropflow-scheduler', { APP_ROLES: 'scheduler' }),
    ...QUEUES.map((queue) => role(`dropflow-worker-${queue}`, { APP_ROLES: 'worker', WORKER_QUEUES: queue })),
  ],
};
