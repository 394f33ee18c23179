/**
 * Ready-made workflows, loaded by `dropflow workflow load-shipped`. They use tasks that the
 * supplier, marketplace and analytics modules register; until those exist the definitions are
 * stored, and starting them says which tasks are missing.
 */
export const SHIPPED_WORKFLOWS = [
  {
    name: 'Catalogue Pipeline',
    description: 'Sync a supplier, write listings for its new products, then push inventory to the marketplaces',
    input_defaults: {},
    steps: [
      { id: 'sync', task: 'sync_supplier_products', kwargs: { supplier_id: '{{ input.supplier_id }}' }, retry: { attempts: 3, backoff_ms: 30000 } },
      { id: 'listings', task: 'generate_marketplace_listings', kwargs: { marketplace_id: '{{ input.marketplace_id }}' }, depends_on: ['sync'] },
      { id: 'inventory', task: 'sync_all_marketplace_inventory', depends_on: ['listings'] },
    ],
  },
  {
    name: 'Daily Close',
    description: 'Sync all orders, calculate profitability, then generate the daily report',
    cron: '30 0 * * *',
    input_defaults: {},
    steps: [
      { id: 'orders', task: 'sync_all_marketplace_orders', retry: { attempts: 3, backoff_ms: 60000 } },
      { id: 'profitability', task: 'calculate_profitability_metrics', kwargs: { period: 'day' }, depends_on: ['orders'] },
      { id: 'report', task: 'generate_daily_reports', depends_on: ['profitability'] },
    ],
  },
];
