-- Bottlenecks: how long cases stay in each state, by item and agency, in hours (calendar time).
-- A stay runs from the change into a state to the next change of state of the same case; stays
-- still open at the end of the range are not counted. Groups of fewer than 5 stays are left out.
-- Parameters (China days YYYY-MM-DD): first day, last day.
WITH changes AS (
  SELECT DISTINCT caseKey, version, itemCode, agency, state, "at"
  FROM case_events
  WHERE dt BETWEEN ? AND ? AND (previousState IS NOT NULL OR action = 'submit')
),
stays AS (
  SELECT
    itemCode,
    agency,
    state,
    date_diff('second', from_iso8601_timestamp("at"), from_iso8601_timestamp(lead("at") OVER (PARTITION BY caseKey ORDER BY version))) / 3600.0 AS hours
  FROM changes
)
SELECT
  itemCode AS item_code,
  agency,
  state,
  count(*) AS stays,
  round(avg(hours), 1) AS mean_hours,
  round(approx_percentile(hours, 0.5), 1) AS median_hours,
  round(approx_percentile(hours, 0.9), 1) AS p90_hours
FROM stays
WHERE hours IS NOT NULL
GROUP BY itemCode, agency, state
HAVING count(*) >= 5
ORDER BY p90_hours DESC
