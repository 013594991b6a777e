-- Evaluation indicators that need the raw events (GB/T 39047 6.2.6), per agency and month of
-- submission: cases submitted and decided, the approval rate of decisions, the median and 90th
-- percentile calendar days from submission to decision, and the share of decisions within 20
-- calendar days; beside them the month's API availability (requests without a server error).
-- Parameters (China days YYYY-MM-DD): first day, last day, first day, last day.
WITH cases AS (
  SELECT
    caseKey,
    arbitrary(agency) AS agency,
    min(CASE WHEN action = 'submit' THEN from_iso8601_timestamp("at") END) AS submitted_at,
    min(CASE WHEN state IN ('approved', 'denied', 'rejected') THEN from_iso8601_timestamp("at") END) AS decided_at,
    bool_or(state = 'approved') AS approved
  FROM case_events
  WHERE dt >= ?
  GROUP BY caseKey
),
submitted AS (
  SELECT
    agency,
    format_datetime(submitted_at AT TIME ZONE 'Asia/Shanghai', 'yyyy-MM') AS month,
    decided_at,
    approved,
    date_diff('second', submitted_at, decided_at) / 86400.0 AS days_to_decision
  FROM cases
  WHERE submitted_at IS NOT NULL AND format_datetime(submitted_at AT TIME ZONE 'Asia/Shanghai', 'yyyy-MM-dd') <= ?
),
availability AS (
  SELECT substr(dt, 1, 7) AS month, round(1 - count_if(status >= 500) * 1.0 / count(*), 5) AS api_availability
  FROM access_events
  WHERE dt BETWEEN ? AND ?
  GROUP BY substr(dt, 1, 7)
)
SELECT
  s.agency,
  s.month,
  count(*) AS submitted,
  count(s.decided_at) AS decided,
  round(count_if(s.approved) * 1.0 / nullif(count(s.decided_at), 0), 3) AS approval_rate,
  round(approx_percentile(s.days_to_decision, 0.5), 1) AS median_days_to_decision,
  round(approx_percentile(s.days_to_decision, 0.9), 1) AS p90_days_to_decision,
  round(count_if(s.days_to_decision <= 20) * 1.0 / nullif(count(s.decided_at), 0), 3) AS decided_within_20_days,
  max(a.api_availability) AS api_availability
FROM submitted s
LEFT JOIN availability a ON a.month = s.month
GROUP BY s.agency, s.month
ORDER BY s.month, s.agency
