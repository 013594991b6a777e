-- Anomaly base series: per day, submissions per item and requests and server errors per function,
-- every day of the range present (a quiet day counts 0), beside the trailing 28-day mean and
-- standard deviation of the same series and the day's z-score against them.
-- Parameters (China days YYYY-MM-DD): first day, last day, first day, last day, first day, last day.
WITH days AS (
  SELECT CAST(day AS varchar) AS dt
  FROM UNNEST(sequence(date(?), date(?), INTERVAL '1' DAY)) AS t(day)
),
counts AS (
  SELECT 'submissions' AS metric, itemCode AS series, dt, count(DISTINCT caseKey) AS value
  FROM case_events
  WHERE dt BETWEEN ? AND ? AND action = 'submit'
  GROUP BY itemCode, dt
  UNION ALL
  SELECT 'requests', "function", dt, count(*)
  FROM access_events
  WHERE dt BETWEEN ? AND ?
  GROUP BY "function", dt
  UNION ALL
  SELECT 'server_errors', "function", dt, count_if(status >= 500)
  FROM access_events
  WHERE dt BETWEEN ? AND ?
  GROUP BY "function", dt
),
grid AS (
  SELECT k.metric, k.series, d.dt, coalesce(c.value, 0) AS value
  FROM (SELECT DISTINCT metric, series FROM counts) k
  CROSS JOIN days d
  LEFT JOIN counts c ON c.metric = k.metric AND c.series = k.series AND c.dt = d.dt
),
baseline AS (
  SELECT
    metric,
    series,
    dt,
    value,
    avg(value) OVER (PARTITION BY metric, series ORDER BY dt ROWS BETWEEN 28 PRECEDING AND 1 PRECEDING) AS mean_28d,
    stddev_samp(value) OVER (PARTITION BY metric, series ORDER BY dt ROWS BETWEEN 28 PRECEDING AND 1 PRECEDING) AS sd_28d
  FROM grid
)
SELECT
  metric,
  series,
  dt AS day,
  value,
  round(mean_28d, 2) AS mean_28d,
  round(sd_28d, 2) AS sd_28d,
  CASE WHEN sd_28d > 0 THEN round((value - mean_28d) / sd_28d, 2) END AS z_score
FROM baseline
ORDER BY metric, series, day
