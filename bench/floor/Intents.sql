-- Intents, exact part only: botContained per intent and in total (the range's interactions index-only through
-- interactions_by_start, each interaction's bot sessions folded once through bot_sessions_by_interaction).
SELECT GROUPING(i.intent) = 1 AS all_intents, i.intent, count(*) AS bot_contained
FROM interactions i
LEFT JOIN (
    SELECT b.interaction_id, bool_or(b.outcome = 'contained') AS contained
    FROM bot_sessions b WHERE b.provider_id = :P AND b.interaction_id IS NOT NULL GROUP BY b.interaction_id
) s ON s.interaction_id = i.interaction_id
WHERE i.provider_id = :P AND i.started_at >= :'S' AND i.started_at < :'E'
  AND (s.contained OR (s.interaction_id IS NULL AND i.bot_id IS NOT NULL AND i.queued_at IS NULL AND i.answered_at IS NULL))
GROUP BY GROUPING SETS ((i.intent), ())
