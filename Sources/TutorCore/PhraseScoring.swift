/// Scores written phrases against one spoken utterance: the recognizer's forced decoding, seen from the Tutor.
///
/// The implementation holds the utterance's audio (Recognition builds one per utterance and Pipeline hands it to the
/// Tutor), so the Tutor can ask "how well does each of these curriculum questions explain what was said?" without
/// knowing anything about audio. Not required to be thread-safe: use one scorer per utterance on one thread.
public protocol PhraseScoring {
    /// The log probability of each candidate text given the utterance's audio, in the same order as `candidates`.
    ///
    /// - Parameters:
    ///   - candidates: phrases in one language, as written in the curriculum.
    ///   - language: the language code the phrases are written in (`en`, `sw`).
    /// - Returns: one natural-log probability (at most 0) per candidate; larger means a better match.
    func logProbabilities(of candidates: [String], language: String) throws -> [Double]
}
