-- The ranges of a batch, by position.
COPY stage_batch_range (doc, range_start, range_end, stop, all_projects, project_id, own_project) FROM STDIN
