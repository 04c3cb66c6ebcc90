-- One plan per vendor: a checklist item may belong to one vendor. A new
-- release gets its vendor's own items when the vendor has any, and the
-- team's (vendor '') otherwise, so an ERP release does not get the EHR's
-- interface checks.

ALTER TABLE checklist ADD COLUMN vendor TEXT NOT NULL DEFAULT '';
