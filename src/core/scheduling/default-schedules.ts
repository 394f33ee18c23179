/** The default periodic tasks, as the Celery Beat installation had them. Times are in BUSINESS_TIMEZONE. */
export const DEFAULT_SCHEDULES: { name: string; task: string; cron: string; description: string }[] = [
  { name: 'Sync All Suppliers', task: 'sync_all_suppliers', cron: '0 * * * *', description: 'every hour' },
  { name: 'Sync Marketplace Orders', task: 'sync_all_marketplace_orders', cron: '*/15 * * * *', description: 'every 15 minutes' },
  { name: 'Sync Marketplace Inventory', task: 'sync_all_marketplace_inventory', cron: '*/30 * * * *', description: 'every 30 minutes' },
  { name: 'System Health Check', task: 'system_health_check', cron: '*/5 * * * *', description: 'every 5 minutes' },
  { name: 'Generate Daily Reports', task: 'generate_daily_reports', cron: '0 0 * * *', description: 'daily at midnight' },
  { name: 'Clean Up Old Executions', task: 'cleanup_old_executions', cron: '0 2 * * *', description: 'daily at 2 AM' },
  { name: 'Database Maintenance', task: 'database_maintenance', cron: '0 3 * * 0', description: 'weekly, Sunday 3 AM' },
  { name: 'System Log Cleanup', task: 'cleanup_system_logs', cron: '0 4 * * 0', description: 'weekly, Sunday 4 AM' },
  { name: 'Database Backup', task: 'backup_database', cron: '0 3 * * *', description: 'daily at 3 AM' },
  { name: 'AI Session Cleanup', task: 'cleanup_ai_sessions', cron: '0 1 * * *', description: 'daily at 1 AM' },
];
