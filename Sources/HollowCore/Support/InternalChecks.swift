/// Whether this build of HollowCore runs its invariant checks (`HOLLOW_INTERNAL_CHECKS`, set by
/// the tests; docs/TESTING.md). A test compares it with the environment, so that checks that were
/// meant to run cannot be silently compiled out.
let _internalChecksEnabled: Bool = {
    #if HOLLOW_INTERNAL_CHECKS
    true
    #else
    false
    #endif
}()
