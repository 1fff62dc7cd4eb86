use chronicle_ml::{hash::str_feature, Model, Perceptron, SplitMix64};
use proptest::prelude::*;

fn small_model() -> Vec<u8> {
    static CACHE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    CACHE.get_or_init(build_small_model).clone()
}

fn build_small_model() -> Vec<u8> {
    let mut p = Perceptron::new("prop", vec!["X".into(), "Y".into()]);
    let mut rng = SplitMix64::new(3);
    let mut scores = [0.0; 2];
    for i in 0..200 {
        let y = i % 2;
        let f = [
            str_feature(0, if y == 0 { "x" } else { "y" }),
            str_feature(1, &rng.below(10).to_string()),
        ];
        let g = p.predict(&f, &mut scores);
        p.update(y, g, &f);
    }
    p.average(0.0).to_bytes()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = Model::from_bytes(&bytes);
    }

    #[test]
    fn random_payload_after_valid_magic_never_panics(tail in proptest::collection::vec(any::<u8>(), 0..512)) {
        let mut bytes = b"CHRNPCPT".to_vec();
        bytes.extend_from_slice(&tail);
        let _ = Model::from_bytes(&bytes);
    }

    #[test]
    fn mutated_model_never_panics(pos in 0usize..10_000, val in any::<u8>(), cut in 0usize..10_000) {
        let mut bytes = small_model();
        let n = bytes.len();
        bytes[pos % n] = val;
        bytes.truncate(n - cut % n);
        let _ = Model::from_bytes(&bytes);
    }

    /// Valid compression around a garbage payload reaches the structural
    /// validation (not just the zstd checksum).
    #[test]
    fn valid_envelope_garbage_payload(payload in proptest::collection::vec(any::<u8>(), 0..512)) {
        let bytes = chronicle_ml::codec::pack(b"CHRNPCPT", 1, &payload);
        let _ = Model::from_bytes(&bytes);
    }
}
