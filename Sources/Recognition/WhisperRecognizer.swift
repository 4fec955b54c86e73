import Foundation
import Kernels
import TutorCore

/// Options for one transcription, with Whisper's defaults where it has them.
public struct TranscriptionOptions: Sendable, Equatable {
    /// The spoken language's code (`sw`); nil detects it (multilingual models) or means English (English-only).
    public var language: String? = nil
    /// When detecting, choose only among these language codes (the kiosk's own languages, e.g. `["en", "sw"]`);
    /// nil or empty: all of Whisper's. Over trimmed synthetic speech base sometimes picks Latin or Thai; a short
    /// list avoids that. The probability reported is renormalized over the list.
    public var candidateLanguages: [String]? = nil
    /// Transcribe, or translate into English.
    public var task: WhisperTask = .transcribe
    /// Text given to the decoder as if it came before (`<|startofprev|>`): biases spelling and vocabulary, e.g.
    /// toward physics words. nil: none.
    public var initialPrompt: String? = nil
    /// The most text tokens to write (Whisper's 224: half the text context).
    public var maximumTokenCount = 224
    /// Above this `<|nospeech|>` probability, and with a low average log-probability, the result is empty (0.6).
    public var noSpeechThreshold: Float = 0.6
    /// The average log-probability below which a likely no-speech result is dropped (Whisper's -1.0).
    public var logProbabilityThreshold: Float = -1.0
    /// A tail of fewer than `repeatedPhraseMinimumTokens` tokens repeated this many times ends decoding (and is cut
    /// back to one copy): Whisper's loops ("the the the ...") on noise.
    public var repetitionCount = 4
    /// A phrase of at least this many tokens said twice in a row ends decoding (cut back to one copy). Over trimmed
    /// audio the decoder often starts the whole question again instead of ending it: this catches that at once.
    public var repeatedPhraseMinimumTokens = 4
    /// Above this compression ratio (`CompressionRatio`, Whisper's gzip test) a result counts as a failure and the
    /// next temperature is tried, as Whisper's `compression_ratio_threshold` (2.4): loops compress well, speech not.
    public var compressionRatioThreshold = 2.4
    /// Audio whose peak stays below this amplitude (-60 dBFS) is digital silence and gives an empty result without
    /// running the encoder: on exact zeros tiny.en writes "you" with an average log-probability (-0.91) above the
    /// no-speech guard's threshold.
    public var silencePeak: Float = 0.001
    /// Whisper's timestamps mode: the decoder writes `<|t|>` tokens around each phrase (greedy or sampled; beam
    /// search is used only without timestamps), and the result's `segments` hold them. `transcribeLong` sets it.
    public var timestamps = false
    /// Run the encoder over a 30-second window padded with silence (Whisper's training condition) instead of over
    /// the audio present only. Slower for short questions; kept for comparison.
    ///
    /// What trimming costs, measured with `tutor bench asr --compare-padding` on the 7 Samples/*.flac clips (2.3-5.1 s,
    /// espeak-ng voices; greedy, release build, 2 threads on a loaded machine):
    /// - tiny.en, 5 English clips: the same text on 2 (magnet, thunder); better trimmed on 1 ("Why isn't the sky
    ///   blue?" against padded "Why isn't this guy blue?"), worse on 1 ("my mycic also down" against "my sickle slow
    ///   down"), differently wrong on 1. Mean average log-probability -0.394 trimmed, -0.351 padded.
    /// - base, 5 English clips: the same text on 4 (mean average log-probability -0.132 trimmed, -0.108 padded;
    ///   English probability 0.88-0.96 trimmed, 0.78-0.94 padded). On the Caribbean voice (en-029) trimming made the
    ///   detector say Latin (p 0.49) and the text came out as "Hād h"; padded said English (p 0.69). Forcing or
    ///   restricting the language (`candidateLanguages: ["en", "sw"]`) avoids that: English, p 1.00.
    /// - On the two Swahili clips neither run detects Swahili (Thai, Latin or English); forced to Swahili, both give
    ///   near-phonetic spellings ("Sumaku i amutage misumari" trimmed, "Sumāku ihafutā ge mi sumāri." padded).
    /// - Time: padding costs 10-20x (tiny.en 2.0-3.1 s a clip padded against 0.2-0.55 s trimmed).
    /// Over trimmed audio the decoder also tends to start the question again instead of ending it; the repetition
    /// guard (`repeatedPhraseMinimumTokens`) stops it after the second copy and keeps one.
    public var padToThirtySeconds = false

    /// An initial prompt of the words children's physics questions use. On Samples/bicycle-stops-en-gb-140.flac it
    /// turns tiny.en's "Why does my mycic also down when I stop pedaling?" into "... mycic'll slow down when I stop
    /// pedalling?"; a prompt naming the lesson's own words ("bicycles, pedalling, friction") got it exactly right.
    public static let englishPhysicsPrompt =
        "Questions about physics: why, how, force, gravity, friction, bicycles, pedalling, magnets, nails, light, "
        + "sound, lightning, thunder, heat, cooking pots, electricity, energy."

    /// Silence appended before the encoder runs, in milliseconds: a middle ground between trimming and the 30-second
    /// window (never past 30 seconds in all). Whisper learnt to end a transcript where speech gives way to silence;
    /// audio cut where speech ends loses its last word. On Samples/ 1,000 ms turned tiny.en's "my mycic also down"
    /// into the padded run's "my sickle slow down", and 3,000 ms let base hear English (p 0.29) in the Caribbean
    /// voice it took for Latin. The kiosk's question audio ends where its silence begins ("Where does the sun go
    /// at- I'd" for "... at night?"). Over Evaluation/asr's 49 English clips (`tutor eval asr --model tiny.en
    /// --append-silence MS --peer`), tiny.en's WER was 22.8% with 0 ms, 17.8% with 250, 18.3% with 500 and 17.4%
    /// with 1,000, whisper.cpp's 30-second window 17.4%. Each second costs 50 encoder positions. 0 (the audio as
    /// given) by default; questions use `questionSilenceMilliseconds`.
    public var appendedSilenceMilliseconds = 0

    /// The silence appended to a child's question (the kiosk, `tutor ask`, `tutor eval asr`, `tutor bench asr`).
    public static let questionSilenceMilliseconds = 1_000

    /// `samples` as the encoder hears them: with `appendedSilenceMilliseconds` of silence after them, up to 30 s.
    public func withAppendedSilence(_ samples: [Float]) -> [Float] {
        guard appendedSilenceMilliseconds > 0 && !samples.isEmpty else { return samples }
        let wanted = appendedSilenceMilliseconds * LogMelFrontEnd.sampleRateHz / 1000
        let room = max(0, 30 * LogMelFrontEnd.sampleRateHz - samples.count)
        return samples + repeatElement(0, count: min(wanted, room))
    }

    /// The temperatures tried in turn while the result looks like a failure (average log-probability below
    /// `logProbabilityThreshold`, or a loop the repetition guard cut) and not like silence; if all fail, the attempt
    /// with the best average log-probability is kept. `[0]`: greedy only, the
    /// kiosk's default (a fallback costs a whole extra decoding); `whisperTemperatures`: Whisper's fallback.
    public var temperatures: [Float] = [0]
    /// Beams searched at temperature 0 (Whisper's `--beam_size`, 5 in its `transcribe`); 1 is greedy, the
    /// kiosk's default: each beam costs a decoder pass per token.
    public var beamSize = 1
    /// Seeds the sampler of the fallback temperatures, so a run can be repeated.
    public var samplingSeed: UInt64 = 0

    /// openai-whisper's `transcribe` default: greedy, then sampling at 0.2 ... 1.0.
    public static let whisperTemperatures: [Float] = [0, 0.2, 0.4, 0.6, 0.8, 1.0]

    /// Whisper's defaults, trimmed to the audio present.
    public static let `default` = TranscriptionOptions()

    /// Options with the given language and initial prompt.
    public init(language: String? = nil, initialPrompt: String? = nil) {
        self.language = language
        self.initialPrompt = initialPrompt
    }
}

/// Milliseconds spent in each part of one transcription.
public struct TranscriptionTimings: Sendable, Equatable {
    /// The log-mel front end.
    public var melMilliseconds: Double = 0
    /// The encoder (and the decoder's cross-attention keys and values).
    public var encoderMilliseconds: Double = 0
    /// The decoder: language detection, the prompt, and every token.
    public var decoderMilliseconds: Double = 0
    /// The length of the audio, in milliseconds.
    public var audioMilliseconds: Double = 0

    /// All three stages.
    public var totalMilliseconds: Double { melMilliseconds + encoderMilliseconds + decoderMilliseconds }
    /// Processing time over audio time (below 1 is faster than real time).
    public var realTimeFactor: Double { audioMilliseconds > 0 ? totalMilliseconds / audioMilliseconds : 0 }

    /// All zero.
    public init() {}
}

/// What the recognizer heard in one utterance.
public struct Transcription: Sendable, Equatable {
    /// The text, without Whisper's leading space; empty for silence or noise.
    public var text: String
    /// The text tokens decoded (no special tokens; empty when the no-speech guard dropped the text).
    public var tokens: [Int]
    /// The language code the text was decoded in.
    public var language: String
    /// The probability of `language` among the language tokens (1 when forced or English-only).
    public var languageProbability: Float
    /// The probability of `<|nospeech|>` at the first step.
    public var noSpeechProbability: Float
    /// The mean log-probability per token, the end-of-text token included (Whisper's `avg_logprob`).
    public var averageLogProbability: Float
    /// Whether the no-speech guard emptied the text.
    public var droppedAsNoSpeech: Bool
    /// Whether the repetition guard ended decoding.
    public var stoppedByRepetition: Bool
    /// The text's compression ratio (`CompressionRatio`; 0 for no text).
    public var compressionRatio: Double = 0
    /// In timestamps mode, the phrases with their times in seconds from the start of the audio given; the last may
    /// lack an end (`isComplete` false) when the audio ended mid-phrase. Empty without timestamps.
    public var segments: [TranscriptSegment] = []
    /// The sampling temperature of the kept attempt (0: greedy).
    public var temperature: Float
    /// Where the time went.
    public var timings: TranscriptionTimings
}

/// Speech to text with a Whisper model: log-mel, encoder over the audio present, greedy decoding with Whisper's
/// suppression rules and no-speech guard.
///
/// ```swift
/// let recognizer = try WhisperRecognizer(model: WhisperModel(path: path))
/// let result = try recognizer.transcribe(samples)                       // 16 kHz mono
/// print(result.text, result.language, result.languageProbability)
/// ```
///
/// Immutable, so it may be shared; each `transcribe` call owns its buffers.
public struct WhisperRecognizer: Sendable {
    /// The model.
    public let model: WhisperModel
    /// Threads for the matrix products.
    public let threadCount: Int
    let weights: WhisperWeights
    let frontEnd: LogMelFrontEnd
    private let suppressed: [Int]
    /// The same without the timestamp tokens, for timestamps mode.
    let suppressedWithTimestamps: [Int]
    /// The most candidate tokens `scorePhrases` runs through the decoder in one pass: enough to amortize each pass's
    /// weight conversion and thread wake-ups, small enough to keep its activations to a few MB. (Tests make it
    /// small to split a few candidates across passes.)
    var scoringBatchRows = 256

    /// A recognizer over `model` using `threadCount` threads.
    public init(model: WhisperModel, threadCount: Int = defaultKernelThreadCount) throws {
        self.model = model
        self.threadCount = max(1, threadCount)
        weights = try WhisperWeights(model: model)
        frontEnd = LogMelFrontEnd(filters: model.melFilters)
        let tokenizer = model.tokenizer
        // Every special token but end-of-text (timestamps too: this is no-timestamps mode), and the non-speech marks.
        let special = tokenizer.special
        suppressed =
            tokenizer.nonSpeechTokens + Array((special.endOfText + 1)..<tokenizer.count)
        suppressedWithTimestamps = tokenizer.nonSpeechTokens + Array((special.endOfText + 1)..<special.timestampBegin)
    }

    /// The encoder output for `samples` (16 kHz mono). // (positions, d)
    func encode(_ samples: [Float], padToThirtySeconds: Bool = false) -> [Float] {
        let mel = frontEnd.spectrogram(of: samples, options: padToThirtySeconds ? .thirtySecondWindow : .default)
        return WhisperEncoder(hyperparameters: model.hyperparameters, weights: weights, threadCount: threadCount)
            .encode(mel)
    }

    /// A decoder attending to `encoded`.
    func decoder(encoded: [Float]) -> WhisperDecoder {
        WhisperDecoder(
            hyperparameters: model.hyperparameters, weights: weights, encoded: encoded, threadCount: threadCount)
    }

    /// Transcribes one utterance of 16 kHz mono `samples` (the first 30 seconds of it).
    public func transcribe(_ samples: [Float], options: TranscriptionOptions = .default) throws -> Transcription {
        let tokenizer = model.tokenizer
        let special = tokenizer.special
        var timings = TranscriptionTimings()
        timings.audioMilliseconds = Double(samples.count) * 1000 / Double(LogMelFrontEnd.sampleRateHz)
        let clock = ContinuousClock()
        var mark = clock.now
        func lap() -> Double {
            let now = clock.now
            defer { mark = now }
            let elapsed = (now - mark).components
            return Double(elapsed.seconds) * 1000 + Double(elapsed.attoseconds) / 1e15
        }
        if let language = options.language {
            _ = try tokenizer.decoderPrompt(language: language, timestamps: false)  // refuses unknown languages
        }
        let audio = options.withAppendedSilence(samples)
        let mel = frontEnd.spectrogram(of: audio, options: options.padToThirtySeconds ? .thirtySecondWindow : .default)
        timings.melMilliseconds = lap()
        var empty = Transcription(
            text: "", tokens: [], language: options.language ?? "en", languageProbability: 1, noSpeechProbability: 1,
            averageLogProbability: 0, droppedAsNoSpeech: true, stoppedByRepetition: false, temperature: 0,
            timings: timings)
        guard mel.frameCount > 0, (samples.lazy.map(abs).max() ?? 0) >= options.silencePeak else { return empty }
        let encoded = WhisperEncoder(hyperparameters: model.hyperparameters, weights: weights, threadCount: threadCount)
            .encode(mel)
        let decoder = decoder(encoded: encoded)
        timings.encoderMilliseconds = lap()

        // Language: the first logits after <|startoftranscript|> alone, over the language tokens (Whisper's rule).
        var language = options.language ?? "en"
        var languageProbability: Float = 1
        if tokenizer.isMultilingual && options.language == nil {
            (language, languageProbability) = try detectLanguage(decoder, among: options.candidateLanguages)
        }

        // The prompt in two batches: up to <|startoftranscript|> (whose logits give the no-speech probability), then
        // the language, task and <|notimestamps|> tokens.
        let prompt = try tokenizer.decoderPrompt(
            language: language, task: options.task, timestamps: options.timestamps, previousText: options.initialPrompt)
        let sotIndex = prompt.firstIndex(of: special.startOfTranscript)!
        var logits = decoder.evaluate(Array(prompt[...sotIndex]))
        let noSpeechProbability = logSoftmax(logits)[special.noSpeech].exp
        logits = decoder.evaluate(Array(prompt[(sotIndex + 1)...]))

        // Greedy first; if the result looks like a failure (low average log-probability, a loop the repetition
        // guard cut, or text that compresses like a loop does) and not like silence, sample again at each higher
        // temperature, as Whisper's fallback does.
        let promptLogits = logits
        // When every attempt fails, the one with the best average log-probability is kept (openai-whisper keeps the
        // last, at temperature 1.0, which on noise is the most invented text).
        var attempt = DecodingAttempt(tokens: [], sumLogProbability: 0, stoppedByRepetition: false, temperature: 0)
        var bestAverage = -Float.infinity
        var generator = SplitMix64(seed: options.samplingSeed)
        for temperature in options.temperatures.isEmpty ? [0] : options.temperatures {
            decoder.truncate(to: prompt.count)
            let candidate =
                temperature == 0 && options.beamSize > 1 && !options.timestamps
                ? beamSearch(decoder, logits: promptLogits, promptCount: prompt.count, options: options)
                : decodeTokens(
                    decoder, logits: promptLogits, promptCount: prompt.count, temperature: temperature,
                    options: options, generator: &generator)
            let average = candidate.sumLogProbability / Float(candidate.tokens.count + 1)
            if average > bestAverage {
                bestAverage = average
                attempt = candidate
            }
            let ratio = CompressionRatio.of(tokenizer.decode(candidate.tokens))
            let failed =
                average < options.logProbabilityThreshold || candidate.stoppedByRepetition
                || ratio > options.compressionRatioThreshold
            if !failed {
                attempt = candidate
                break
            }
            if noSpeechProbability > options.noSpeechThreshold { break }  // silence: no point in sampling
        }
        let tokens = attempt.tokens
        let sumLogProbability = attempt.sumLogProbability
        let stoppedByRepetition = attempt.stoppedByRepetition
        timings.decoderMilliseconds = lap()
        let averageLogProbability = sumLogProbability / Float(tokens.count + 1)
        empty.timings = timings
        empty.language = language
        empty.languageProbability = languageProbability
        empty.noSpeechProbability = noSpeechProbability
        empty.averageLogProbability = averageLogProbability
        if noSpeechProbability > options.noSpeechThreshold && averageLogProbability < options.logProbabilityThreshold {
            return empty
        }
        let text = tokenizer.decode(tokens).trimmingCharacters(in: .whitespaces)
        return Transcription(
            text: text, tokens: tokens, language: language, languageProbability: languageProbability,
            noSpeechProbability: noSpeechProbability, averageLogProbability: averageLogProbability,
            droppedAsNoSpeech: false, stoppedByRepetition: stoppedByRepetition,
            compressionRatio: CompressionRatio.of(text),
            segments: options.timestamps ? segments(of: tokens) : [], temperature: attempt.temperature,
            timings: timings)
    }

    /// One decoding pass's outcome.
    struct DecodingAttempt {
        var tokens: [Int]
        var sumLogProbability: Float
        var stoppedByRepetition: Bool
        var temperature: Float
    }

    /// Decodes text tokens after the prompt (already in `decoder`, whose next-token logits are `logits`): the most
    /// likely token at temperature 0, else a sample from softmax(logits / temperature). Log-probabilities are always
    /// those of the unscaled logits after suppression, as Whisper's.
    func decodeTokens(
        _ decoder: WhisperDecoder, logits promptLogits: [Float], promptCount: Int, temperature: Float,
        options: TranscriptionOptions, generator: inout SplitMix64
    ) -> DecodingAttempt {
        let special = model.tokenizer.special
        var logits = promptLogits  // (vocab)
        var attempt = DecodingAttempt(
            tokens: [], sumLogProbability: 0, stoppedByRepetition: false, temperature: temperature)
        let limit = min(options.maximumTokenCount, model.hyperparameters.textContextLength - promptCount)
        let blank = model.tokenizer.encode(" ")
        while true {
            for id in options.timestamps ? suppressedWithTimestamps : suppressed { logits[id] = -.infinity }
            if attempt.tokens.isEmpty {
                // Never start with a blank or end at once.
                for id in blank + [special.endOfText] { logits[id] = -.infinity }
            }
            if options.timestamps {
                applyTimestampRules(&logits, after: attempt.tokens, audioPositions: decoder.audioPositionCount)
            }
            let logProbabilities = logSoftmax(logits)
            let next: Int
            if temperature > 0 {
                next = Self.sample(logProbabilities, temperature: temperature, generator: &generator)
            } else {
                next = logProbabilities.indices.max { logProbabilities[$0] < logProbabilities[$1] }!
            }
            attempt.sumLogProbability += logProbabilities[next]
            if next == special.endOfText { break }
            attempt.tokens.append(next)
            // A phrase closed at the end of the audio present: nothing is left to hear in this window.
            if options.timestamps && next >= special.timestampBegin + decoder.audioPositionCount - 1
                && attempt.tokens.count >= 2 && attempt.tokens[attempt.tokens.count - 2] < special.timestampBegin
            {
                break
            }
            // With timestamps a loop repeats the text under new times: compare the text tokens alone.
            let text = options.timestamps ? attempt.tokens.filter { $0 < special.timestampBegin } : attempt.tokens
            if let (period, copies) = Self.repeatedTail(text, options: options) {
                var extra = period * (copies - 1)  // text tokens to cut, with the timestamps among them
                while extra > 0, let last = attempt.tokens.popLast() {
                    if last < special.timestampBegin { extra -= 1 }
                }
                attempt.stoppedByRepetition = true
                break
            }
            if attempt.tokens.count >= limit { break }
            logits = decoder.evaluate([next])
        }
        return attempt
    }

    /// Beam search at temperature 0, as Whisper's: each step extends every beam by its `beamSize + 1` most likely
    /// tokens, keeps the `beamSize` best unfinished sequences by summed log-probability, and sets aside those that
    /// end; it stops when `beamSize` have ended. The kept sequence has the best log-probability per token.
    func beamSearch(
        _ decoder: WhisperDecoder, logits promptLogits: [Float], promptCount: Int, options: TranscriptionOptions
    ) -> DecodingAttempt {
        struct Beam {
            var decoder: WhisperDecoder
            var tokens: [Int]
            var sum: Float
            var logits: [Float]  // (vocab): the next token's
        }
        let special = model.tokenizer.special
        let beamSize = options.beamSize
        let limit = min(options.maximumTokenCount, model.hyperparameters.textContextLength - promptCount)
        let blank = model.tokenizer.encode(" ")
        var beams = [Beam(decoder: decoder, tokens: [], sum: 0, logits: promptLogits)]
        var finished: [DecodingAttempt] = []
        func ended(_ tokens: [Int], _ sum: Float, repetition: Bool = false) {
            finished.append(
                DecodingAttempt(tokens: tokens, sumLogProbability: sum, stoppedByRepetition: repetition, temperature: 0)
            )
        }
        while !beams.isEmpty && finished.count < beamSize {
            var candidates: [(parent: Int, token: Int, sum: Float)] = []
            for (index, beam) in beams.enumerated() {
                var logits = beam.logits
                for id in suppressed { logits[id] = -.infinity }
                if beam.tokens.isEmpty {
                    for id in blank + [special.endOfText] { logits[id] = -.infinity }
                }
                let logProbabilities = logSoftmax(logits)
                for id in Self.topIndices(logProbabilities, count: beamSize + 1) {
                    candidates.append((index, id, beam.sum + logProbabilities[id]))
                }
            }
            candidates.sort { $0.sum > $1.sum }
            var kept: [(parent: Int, token: Int, sum: Float)] = []
            for candidate in candidates where kept.count < beamSize {
                let parent = beams[candidate.parent]
                if candidate.token == special.endOfText {
                    if finished.count < beamSize { ended(parent.tokens, candidate.sum) }
                    continue
                }
                var tokens = parent.tokens + [candidate.token]
                if let (period, copies) = Self.repeatedTail(tokens, options: options) {
                    tokens.removeLast(period * (copies - 1))
                    ended(tokens, candidate.sum, repetition: true)
                } else if tokens.count >= limit {
                    ended(tokens, candidate.sum)
                } else {
                    kept.append(candidate)
                }
            }
            // Fork the caches before any beam moves on: a parent's last child takes its decoder, the others copies.
            var lastChild: [Int: Int] = [:]
            for (index, candidate) in kept.enumerated() { lastChild[candidate.parent] = index }
            var next: [Beam] = []
            for (index, candidate) in kept.enumerated() {
                let parent = beams[candidate.parent]
                let fork =
                    lastChild[candidate.parent] == index ? parent.decoder : WhisperDecoder(copying: parent.decoder)
                next.append(
                    Beam(decoder: fork, tokens: parent.tokens + [candidate.token], sum: candidate.sum, logits: []))
            }
            for index in next.indices {
                next[index].logits = next[index].decoder.evaluate([next[index].tokens.last!])
            }
            beams = next
        }
        if finished.isEmpty {
            for beam in beams { ended(beam.tokens, beam.sum) }
        }
        func perToken(_ attempt: DecodingAttempt) -> Float {
            attempt.sumLogProbability / Float(max(1, attempt.tokens.count))
        }
        return finished.max { perToken($0) < perToken($1) }!
    }

    /// The indices of the `count` largest finite values, largest first: one pass keeping a small sorted list (a
    /// full sort of 51,865 logits per beam per step cost more than the decoder itself).
    static func topIndices(_ values: [Float], count: Int) -> [Int] {
        var top: [Int] = []
        top.reserveCapacity(count + 1)
        for (index, value) in values.enumerated() where value > -.infinity {
            if top.count == count, let last = top.last, values[last] >= value { continue }
            let position = top.firstIndex { values[$0] < value } ?? top.count
            top.insert(index, at: position)
            if top.count > count { top.removeLast() }
        }
        return top
    }

    /// A token drawn from softmax(logProbabilities / temperature).
    static func sample(_ logProbabilities: [Float], temperature: Float, generator: inout SplitMix64) -> Int {
        let maximum = logProbabilities.max() ?? 0
        var weights = [Double](repeating: 0, count: logProbabilities.count)  // (vocab)
        var total: Double = 0
        for (id, value) in logProbabilities.enumerated() where value > -.infinity {
            weights[id] = Foundation.exp(Double((value - maximum) / temperature))
            total += weights[id]
        }
        var target = Double.random(in: 0..<total, using: &generator)
        for (id, weight) in weights.enumerated() where weight > 0 {
            target -= weight
            if target < 0 { return id }
        }
        return weights.lastIndex { $0 > 0 } ?? 0
    }

    /// The most likely spoken language of 16 kHz mono `samples` and its probability among the language tokens
    /// (only `candidates` when given); ("en", 1) for an English-only model.
    public func detectLanguage(
        _ samples: [Float], among candidates: [String]? = nil
    ) throws -> (
        language: String, probability: Float
    ) {
        guard model.tokenizer.isMultilingual else { return ("en", 1) }
        let encoded = encode(samples)
        guard !encoded.isEmpty else { return ("en", 0) }
        return try detectLanguage(decoder(encoded: encoded), among: candidates)
    }

    /// Language identification on `decoder` (left reset): the logits after <|startoftranscript|> alone, softmax
    /// over the language tokens (or only the candidates'), as Whisper's `detect_language`.
    func detectLanguage(
        _ decoder: WhisperDecoder, among candidates: [String]?
    ) throws -> (
        language: String, probability: Float
    ) {
        let tokenizer = model.tokenizer
        let codes = (candidates?.isEmpty ?? true) ? tokenizer.languageCodes : candidates!
        let ids = try codes.map { code in
            guard let id = tokenizer.languageToken(for: code) else {
                throw WhisperTokenizerError.unknownLanguage(
                    path: tokenizer.sourcePath, code: code, available: tokenizer.languageCodes)
            }
            return id
        }
        decoder.reset()
        let logits = decoder.evaluate([tokenizer.special.startOfTranscript])
        decoder.reset()
        var probabilities = ids.map { logits[$0] }
        probabilities.withUnsafeMutableBufferPointer { softmax($0) }
        let best = probabilities.indices.max { probabilities[$0] < probabilities[$1] }!
        return (codes[best], probabilities[best])
    }

    /// The period and copy count of a repeated tail the guard stops at, or nil: a short tail (below
    /// `repeatedPhraseMinimumTokens`) repeated `repetitionCount` times, or a longer phrase said twice.
    static func repeatedTail(_ tokens: [Int], options: TranscriptionOptions) -> (period: Int, copies: Int)? {
        let phrase = max(1, options.repeatedPhraseMinimumTokens)
        for period in 1...max(1, tokens.count / 2) {
            let copies = period < phrase ? options.repetitionCount : 2
            guard copies >= 2, period * copies <= tokens.count else { continue }
            let tail = tokens.suffix(period * copies)
            let first = tail.prefix(period)
            if (1..<copies).allSatisfy({ tail.dropFirst($0 * period).prefix(period).elementsEqual(first) }) {
                return (period, copies)
            }
        }
        return nil
    }
}

/// log softmax of `logits` (-infinity stays -infinity). // (n)
func logSoftmax(_ logits: [Float]) -> [Float] {
    let maximum = logits.max() ?? 0
    var sum: Double = 0
    for value in logits where value > -.infinity { sum += Double(Foundation.exp(value - maximum)) }
    let logSum = maximum + Float(Foundation.log(sum))
    return logits.map { $0 - logSum }
}

extension Float {
    fileprivate var exp: Float { Foundation.exp(self) }
}
