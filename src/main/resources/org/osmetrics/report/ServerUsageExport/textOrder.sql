-- the order of some texts (?) as the view's ORDER BY compares text columns (the database's default collation)
SELECT DISTINCT t FROM unnest(CAST(? AS text[])) AS u(t) ORDER BY t
