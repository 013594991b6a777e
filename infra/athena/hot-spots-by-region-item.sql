-- Hot spots: the items people apply for and look at most, by region, over a range of days.
-- Parameters (ExecutionParameters, China days YYYY-MM-DD): first day, last day, first day, last day.
WITH submissions AS (
  SELECT region, itemCode, count(DISTINCT caseKey) AS submissions
  FROM case_events
  WHERE dt BETWEEN ? AND ? AND action = 'submit'
  GROUP BY region, itemCode
),
views AS (
  SELECT region, itemCode, count(*) AS views, count(DISTINCT userKey) AS visitor_days
  FROM access_events
  WHERE dt BETWEEN ? AND ? AND itemCode IS NOT NULL AND status < 400
  GROUP BY region, itemCode
)
SELECT
  coalesce(s.region, v.region) AS region,
  coalesce(s.itemCode, v.itemCode) AS item_code,
  coalesce(s.submissions, 0) AS submissions,
  coalesce(v.views, 0) AS views,
  coalesce(v.visitor_days, 0) AS visitor_days
FROM submissions s
FULL OUTER JOIN views v ON s.region = v.region AND s.itemCode = v.itemCode
ORDER BY submissions DESC, views DESC
LIMIT 500
