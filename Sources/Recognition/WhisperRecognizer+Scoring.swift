import Foundation

/// One candidate text's score under the decoder, given the audio.
public struct PhraseScore: Sendable, Equatable {
    /// The candidate as given.
    public var text: String
    /// The sum of the log-probabilities of its tokens and the end-of-text token.
    public var logProbability: Float
    /// The tokens scored (end-of-text included).
    public var tokenCount: Int

    /// `logProbability` per token: comparable between candidates of different lengths.
    public var averageLogProbability: Float { logProbability / Float(max(1, tokenCount)) }
}

extension WhisperRecognizer {
    /// Scores known phrasings of a question against the audio by forced decoding: for each candidate, the
    /// log-probability the decoder gives its tokens (with a leading space, as Whisper writes text) and then
    /// end-of-text, after the prompt for `language`.
    ///
    /// The encoder runs once and the cross-attention keys and values are shared by every candidate; each candidate
    /// is one batched decoder pass. Free decoding of Swahili by Whisper base is weak; choosing among the curriculum's
    /// known question forms this way is far more reliable. Results are in the order of `candidates`.
    public func scorePhrases(
        _ samples: [Float], candidates: [String], language: String? = nil, initialPrompt: String? = nil
    ) throws -> [PhraseScore] {
        let tokenizer = model.tokenizer
        let prompt = try tokenizer.decoderPrompt(
            language: language, timestamps: false, previousText: initialPrompt)
        let encoded = encode(samples)
        guard !encoded.isEmpty else {
            return candidates.map { PhraseScore(text: $0, logProbability: -.infinity, tokenCount: 0) }
        }
        let decoder = decoder(encoded: encoded)
        let promptLogits = decoder.evaluate(prompt)  // (vocab): predicts the first text token
        let promptLength = prompt.count
        let vocabulary = model.hyperparameters.vocabularySize
        return candidates.map { candidate in
            let trimmed = candidate.trimmingCharacters(in: .whitespaces)
            let text = Array(tokenizer.encode(" " + trimmed).prefix(model.hyperparameters.textContextLength / 2))
            // The logits after the prompt predict text[0]; after text[i], text[i + 1]; after the last, end-of-text.
            decoder.truncate(to: promptLength)
            let all = decoder.evaluateAll(text)  // (text.count, vocab)
            let targets = text + [tokenizer.special.endOfText]
            var sum: Float = 0
            for (i, target) in targets.enumerated() {
                let row = i == 0 ? promptLogits : Array(all[((i - 1) * vocabulary)..<(i * vocabulary)])
                sum += logSoftmax(row)[target]
            }
            return PhraseScore(text: candidate, logProbability: sum, tokenCount: targets.count)
        }
    }
}
