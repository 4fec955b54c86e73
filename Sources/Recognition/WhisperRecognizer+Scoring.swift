import Foundation
import Kernels

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
    /// The encoder runs once and the cross-attention keys and values are shared by every candidate; the candidates
    /// go through the decoder together, up to `scoringBatchRows` tokens in one pass (each attending to the prompt and
    /// its own tokens), and the logits of all candidates' positions are computed together, 128 rows at a time (the
    /// F16 token embedding is the largest matrix: converting it once per chunk, not per candidate). Free decoding of
    /// Swahili by Whisper base is weak; choosing among the curriculum's known question forms this way is far more
    /// reliable. Results are in the order of `candidates`.
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
        let d = model.hyperparameters.embeddingLength
        let vocabulary = model.hyperparameters.vocabularySize
        let maximumTextTokens = min(
            model.hyperparameters.textContextLength / 2, model.hyperparameters.textContextLength - promptLength)
        let texts = candidates.map {
            Array(tokenizer.encode(" " + $0.trimmingCharacters(in: .whitespaces)).prefix(maximumTextTokens))
        }
        let targets = texts.map { $0 + [tokenizer.special.endOfText] }
        var states: [Float] = []  // (rows, d): the states predicting targets[c][1...] in order
        // The candidates go through the decoder together, a batch of up to `scoringBatchRows` tokens at a time.
        var batch: [[Int]] = []
        for text in texts {
            if !batch.isEmpty && batch.reduce(text.count, { $0 + $1.count }) > scoringBatchRows {
                states += decoder.evaluateStates(sequences: batch)
                batch.removeAll()
            }
            batch.append(text)
        }
        states += decoder.evaluateStates(sequences: batch)
        // The logits after the prompt predict each text's first token; after text[i], text[i + 1]; after the last,
        // end-of-text.
        let promptLogProbabilities = logSoftmax(promptLogits)
        var sums = targets.map { promptLogProbabilities[$0[0]] }
        var owners: [(candidate: Int, target: Int)] = []  // per state row
        for (c, target) in targets.enumerated() {
            for i in 1..<target.count { owners.append((c, target[i])) }
        }
        let chunkRows = 128
        var logits = [Float](repeating: 0, count: chunkRows * vocabulary)  // (chunkRows, vocab)
        for first in stride(from: 0, to: owners.count, by: chunkRows) {
            let rows = min(chunkRows, owners.count - first)
            states.withUnsafeBufferPointer { states in
                logits.withUnsafeMutableBufferPointer { logits in
                    matmul(
                        weights.tokenEmbedding,
                        UnsafeBufferPointer(rebasing: states[(first * d)..<((first + rows) * d)]), logits,
                        tokens: rows, threadCount: threadCount)
                }
            }
            for r in 0..<rows {
                let owner = owners[first + r]
                let row = Array(logits[(r * vocabulary)..<((r + 1) * vocabulary)])
                sums[owner.candidate] += logSoftmax(row)[owner.target]
            }
        }
        return candidates.indices.map {
            PhraseScore(text: candidates[$0], logProbability: sums[$0], tokenCount: targets[$0].count)
        }
    }
}
