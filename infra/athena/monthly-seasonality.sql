-- Seasonality: submissions per item and month, each month's share of the item's year and its
-- seasonal index (the month against the item's average month).
-- Parameters (China days YYYY-MM-DD): first day, last day; whole years show the pattern best.
WITH submissions AS (
  SELECT DISTINCT caseKey, itemCode, substr(dt, 1, 7) AS month
  FROM case_events
  WHERE dt BETWEEN ? AND ? AND action = 'submit'
),
monthly AS (
  SELECT itemCode, month, count(*) AS submissions
  FROM submissions
  GROUP BY itemCode, month
)
SELECT
  itemCode AS item_code,
  month,
  substr(month, 6, 2) AS month_of_year,
  submissions,
  round(submissions * 1.0 / sum(submissions) OVER (PARTITION BY itemCode, substr(month, 1, 4)), 4) AS share_of_year,
  round(submissions * 1.0 / avg(submissions) OVER (PARTITION BY itemCode), 3) AS seasonal_index
FROM monthly
ORDER BY item_code, month
