import PropertyBased

extension Xoshiro {
    /// PropertyBased's generator from a test's numbered seed, so that a failing seed reproduces.
    init(seed: UInt64) {
        self.init(seed: (seed, 0x9E37_79B9_7F4A_7C15, ~seed, 0xD1B5_4A32_D192_ED03))
    }
}
