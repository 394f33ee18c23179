/**
 * The SQL every money figure is built on, so a report and a metric can never disagree.
 * Parameters: $1 start (timestamptz, inclusive), $2 end (exclusive), $3 business timezone,
 * $4 store currency.
 *
 * - An order counts when it is paid, partly or wholly fulfilled; pending, cancelled, failed and
 *   refunded orders bring no revenue, cost, fees or shipping (refunds are reported apart).
 * - Its day is the business timezone's day of `placed_at` (daylight saving included).
 * - Amounts in another currency are converted at the latest exchange_rates row valid on that
 *   day; an order without a rate is left out and named by the report (`unconverted`).
 * - revenue = the order's subtotal; fees = fee_percent of the total + fee_fixed (the marketplace's
 *   settings, in the order's currency); shipping = the marketplace's shipping_cost_per_order
 *   (store currency); cost = Σ unit cost × quantity, in the supplier product's currency. Each is
 *   converted and rounded to the cent per order, then summed: exact numeric, never floats.
 * - Per line (for products and suppliers): revenue is unit price × quantity, and the order's
 *   fees and shipping are shared out in proportion to line revenue.
 */
const RATE = (currency: string, day: string) =>
  `CASE WHEN ${currency} = $4 THEN 1::numeric ELSE (SELECT x.rate FROM exchange_rates x WHERE x.currency = ${currency} AND x.valid_from <= ${day} ORDER BY x.valid_from DESC LIMIT 1) END`;

export const ORDER_ECONOMICS = `
  scoped AS (
    SELECT o.id, o.marketplace_id, o.status, o.currency, o.subtotal, o.total, o.placed_at,
           (o.placed_at AT TIME ZONE $3)::date AS day,
           coalesce((m.settings->>'fee_percent')::numeric, 0) AS fee_percent,
           coalesce((m.settings->>'fee_fixed')::numeric, 0) AS fee_fixed,
           coalesce((m.settings->>'shipping_cost_per_order')::numeric, 0) AS shipping_cost
      FROM marketplace_orders o JOIN marketplaces m ON m.id = o.marketplace_id
     WHERE o.placed_at >= $1 AND o.placed_at < $2
  ),
  rated AS (
    SELECT s.*, ${RATE('s.currency', 's.day')} AS rate FROM scoped s
  ),
  orders_in AS (
    SELECT r.id, r.marketplace_id, r.day, r.rate,
           round(r.subtotal * r.rate, 2) AS revenue,
           round((r.total * r.fee_percent / 100 + r.fee_fixed) * r.rate, 2) AS fees,
           r.shipping_cost AS shipping
      FROM rated r
     WHERE r.status IN ('paid', 'partially_fulfilled', 'fulfilled') AND r.rate IS NOT NULL
  ),
  lines_in AS (
    SELECT l.order_id, l.sku, l.title, l.supplier_product_id, p.supplier_id, l.quantity, o.marketplace_id, o.day,
           round(l.unit_price * l.quantity * o.rate, 2) AS revenue,
           round(coalesce(l.unit_cost, 0) * l.quantity * coalesce(${RATE('p.currency', 'o.day')}, o.rate), 2) AS cost,
           o.fees AS order_fees, o.shipping AS order_shipping,
           sum(l.unit_price * l.quantity) OVER (PARTITION BY l.order_id) AS order_lines_amount,
           l.unit_price * l.quantity AS amount
      FROM orders_in o
      JOIN marketplace_order_lines l ON l.order_id = o.id
      LEFT JOIN supplier_products p ON p.id = l.supplier_product_id
  ),
  lines_shared AS (
    SELECT li.*,
           round(CASE WHEN li.order_lines_amount > 0 THEN li.order_fees * li.amount / li.order_lines_amount ELSE 0 END, 2) AS fees,
           round(CASE WHEN li.order_lines_amount > 0 THEN li.order_shipping * li.amount / li.order_lines_amount ELSE 0 END, 2) AS shipping
      FROM lines_in li
  ),
  order_costs AS (
    SELECT order_id, sum(cost) AS cost, sum(quantity) AS units FROM lines_in GROUP BY order_id
  )`;
