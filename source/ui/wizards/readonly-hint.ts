/** The review step's hint in read-only mode, where `y` does not apply. */
export const READONLY_REVIEW_HINT = 'read-only: this plan cannot be applied (--readonly) · PgUp/PgDn scroll · Esc back';
