-- Gatehouse store, version 5: shadow mode. At most one candidate policy per app beside its live
-- one, evaluated on real traffic without deciding anything. A removed (or promoted) candidate keeps
-- its row with policy NULL, so its version keeps counting and an old ETag never matches a new one.
CREATE TABLE app_candidates (
    app_id     VARCHAR(64)      NOT NULL PRIMARY KEY,
    version    BIGINT           NOT NULL,
    policy     VARCHAR(1000000),
    author_sub VARCHAR(255)     NOT NULL,
    author_idp VARCHAR(64)      NOT NULL,
    created_ms BIGINT           NOT NULL,
    comment    VARCHAR(2000)
);
