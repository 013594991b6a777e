-- Follow rate of next-item recommendations (GB/T 39047 6.2.7 a), per month of sending and per
-- month and item: sent, followed (whenever the follow came) and the rate; a cell whose
-- recommendations went to fewer than 5 distinct people is suppressed (every count NULL). Same definition as
-- shared/analytics/recommendation-follow-rate.ts, which answers it from the tables.
-- Parameters (China days YYYY-MM-DD): first day, last day, first day.
WITH sent AS (
  SELECT DISTINCT userKey, caseKey, itemCode, substr(dt, 1, 7) AS month
  FROM recommendation_events
  WHERE kind = 'sent' AND dt BETWEEN ? AND ?
),
followed AS (
  SELECT DISTINCT userKey, caseKey, itemCode
  FROM recommendation_events
  WHERE kind = 'followed' AND dt >= ?
),
cells AS (
  SELECT
    s.month,
    s.itemCode,
    count(*) AS sent,
    count(f.caseKey) AS followed,
    count(DISTINCT s.userKey) AS people
  FROM sent s
  LEFT JOIN followed f ON f.userKey = s.userKey AND f.caseKey = s.caseKey AND f.itemCode = s.itemCode
  GROUP BY GROUPING SETS ((s.month), (s.month, s.itemCode))
)
SELECT
  month,
  itemCode AS item_code,
  people < 5 AS suppressed,
  CASE WHEN people >= 5 THEN sent END AS sent,
  CASE WHEN people >= 5 THEN followed END AS followed,
  CASE WHEN people >= 5 THEN round(followed * 1.0 / sent, 3) END AS rate
FROM cells
ORDER BY month, item_code NULLS FIRST
