import ArgumentParser
import Audio
import Foundation
import Kernels
import Recognition
import Synthesis
import TutorCore

/// `tutor eval speech`: the speech round trip. Our voice and espeak-ng speak the committed sentences, our Whisper
/// transcribes both, and the word error rates are printed side by side.
struct EvalSpeechCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "speech",
        abstract: "Speak a sentence set with our voice and espeak-ng, transcribe both with Whisper, print WER.",
        discussion: """
            Reads Evaluation/speech/<lang>.txt (one sentence a line, # comments). Odd-numbered sentences (1st, \
            3rd, ...) are the dev part that voices are tuned on, even-numbered ones the test part; figures are \
            printed for both and for all. Our voice renders at --sample-rate and is resampled to 16 kHz; espeak-ng \
            (the Debian package, run as a subprocess with its default speed) writes a WAV that is resampled the \
            same way. Whisper tiny.en judges English, base (language forced) every other language; decoding is \
            greedy without timestamps, as `tutor transcribe` does. WER is word-level Levenshtein distance after \
            lower-casing and removing punctuation (see `tutor eval asr`), summed over sentences; the letter error \
            rate is the same over the letters with spaces removed, fairer where Whisper splits words differently.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var speech: SpeechOptionGroup

    @Option(help: "The sentence file (default: Evaluation/speech/<lang>.txt).")
    var set: String?

    @Option(help: "Which sentences: all, dev (odd-numbered) or test (even-numbered).")
    var part = "all"

    @Option(help: "Only the first N sentences of the part.")
    var limit: Int?

    @Option(help: "The espeak-ng voice (default: the language code).")
    var peerVoice: String?

    @Flag(help: "Leave espeak-ng out: our voice only.")
    var noPeer = false

    @Option(help: "The recognizer: tiny.en or base (default: tiny.en for English, base otherwise).")
    var model: String?

    @Option(help: "The model cache (default: $VOICETUTOR_CACHE or ~/.cache/voicetutor).")
    var cache: String?

    @Option(help: "Recognizer threads (default: the number of cores).")
    var threads = defaultKernelThreadCount

    @Flag(help: "Print every sentence: its errors and what Whisper heard, per voice.")
    var sentences = false

    @Option(help: "Also write each sentence's 16 kHz audio into this folder (<voice>-<number>.wav).")
    var keepAudio: String?

    @Flag(help: "Print JSON lines instead of text.")
    var json = false

    func validate() throws {
        guard ["all", "dev", "test"].contains(part) else {
            throw ValidationError("--part must be all, dev or test (found '\(part)')")
        }
        if let model, !["tiny.en", "base"].contains(model) {
            throw ValidationError("--model must be tiny.en or base (found '\(model)')")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1 (found \(limit))") }
    }

    func run() throws {
        global.bootstrapLogging()
        let language = try speech.language()
        let path = set ?? "Evaluation/speech/\(language.rawValue).txt"
        var chosen = try RoundTripSentence.read(EvalASRCommand.manifestURL(path)).filter {
            part == "all" || $0.part == part
        }
        if let limit { chosen = Array(chosen.prefix(limit)) }
        guard !chosen.isEmpty else { throw UserFacingError("\(path): no \(part) sentences") }

        let modelName = model ?? (language == .english ? "tiny.en" : "base")
        if modelName == "tiny.en" && language != .english {
            throw UserFacingError("tiny.en understands only English; use --model base for \(language.rawValue)")
        }
        let synthesizer = try speech.synthesizer()
        var voices: [RoundTripVoice] = [.ours(synthesizer)]
        if !noPeer {
            guard ProcessRunner.isAvailable("espeak-ng") else {
                throw UserFacingError(
                    "espeak-ng is not installed (Scripts/setup installs the Debian package); --no-peer skips it")
            }
            voices.append(.espeak(voice: peerVoice ?? language.rawValue))
        }
        let (recognizer, options) = try TranscribeCommand.recognizer(
            modelName, hearing: language, cache: cache, threadCount: threads)
        let scratch = try ScratchFolder.make()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let keepFolder = keepAudio.map { URL(fileURLWithPath: $0, isDirectory: true) }
        if let keepFolder {
            try? FileManager.default.createDirectory(at: keepFolder, withIntermediateDirectories: true)
        }

        var totals: [String: RoundTripTotals] = [:]
        for sentence in chosen {
            for voice in voices {
                let audio = try voice.speak(sentence, scratch: scratch)
                if let keepFolder {
                    let file = keepFolder.appendingPathComponent("\(voice.name)-\(sentence.number).wav")
                    do {
                        try SoundFile.write(audio, to: file)
                    } catch {
                        throw UserFacingError("\(file.path): cannot write: \(error)")
                    }
                }
                let heard: String
                do {
                    heard = try recognizer.transcribe(audio.samples, options: options).text
                } catch {
                    throw UserFacingError("\(voice.name), sentence \(sentence.number): \(error)")
                }
                let score = RoundTripScore(reference: sentence.text, heard: heard, seconds: audio.durationSeconds)
                for key in [sentence.part, "all"] { totals["\(voice.name) \(key)", default: .init()].add(score) }
                if sentences { report(sentence, voice: voice.name, heard: heard, score: score) }
            }
        }
        let parts = part == "all" ? ["dev", "test", "all"] : [part]
        for key in parts {
            for voice in voices {
                report(totals["\(voice.name) \(key)"] ?? .init(), voice: voice.name, part: key, language: language)
            }
            if voices.count == 2, let ours = totals["\(voices[0].name) \(key)"],
                let peer = totals["\(voices[1].name) \(key)"]
            {
                reportRatio(ours, peer, names: (voices[0].name, voices[1].name), part: key, language: language)
            }
        }
    }

    private func report(_ sentence: RoundTripSentence, voice: String, heard: String, score: RoundTripScore) {
        let c = score.words
        if json {
            printJSON([
                "sentence": sentence.number, "part": sentence.part, "voice": voice, "reference": sentence.text,
                "heard": heard, "substitutions": c.substitutions, "deletions": c.deletions,
                "insertions": c.insertions, "words": c.referenceWords,
            ])
        } else {
            print(
                "\(String(format: "%3d", sentence.number)) \(voice.padding(toLength: 10, withPad: " ", startingAt: 0))"
                    + " \(String(format: "%2d/%2d", c.errors, c.referenceWords))  \(sentence.text)  ->  \(heard)")
        }
    }

    private func report(_ t: RoundTripTotals, voice: String, part: String, language: Language) {
        let c = t.words
        if json {
            printJSON([
                "eval": "speech", "lang": language.rawValue, "voice": voice, "part": part, "sentences": t.sentences,
                "words": c.referenceWords, "substitutions": c.substitutions, "deletions": c.deletions,
                "insertions": c.insertions, "wer": c.rate, "letter_error_rate": t.letterErrorRate,
                "audio_s": t.audioSeconds,
            ])
            return
        }
        print(
            String(
                format: "%@ %@ %@  %2d sentences %4d words  WER %5.1f%% (S %d D %d I %d)  letters %5.1f%%  %.1f s",
                language.rawValue, part.padding(toLength: 4, withPad: " ", startingAt: 0),
                voice.padding(toLength: 10, withPad: " ", startingAt: 0), t.sentences, c.referenceWords,
                100 * c.rate, c.substitutions, c.deletions, c.insertions, 100 * t.letterErrorRate, t.audioSeconds))
    }

    private func reportRatio(
        _ ours: RoundTripTotals, _ peer: RoundTripTotals, names: (String, String), part: String, language: Language
    ) {
        let ratio = ours.words.rate / max(peer.words.rate, 1e-9)
        if json {
            printJSON([
                "eval": "speech", "lang": language.rawValue, "part": part, "voice": names.0, "peer": names.1,
                "wer_ratio": ratio,
            ])
        } else {
            print(
                String(
                    format: "%@ %@ WER ratio %@ / %@ = %.2f (%@)", language.rawValue,
                    part.padding(toLength: 4, withPad: " ", startingAt: 0), names.0, names.1, ratio,
                    ratio <= 1 ? "no worse than the peer" : "worse than the peer"))
        }
    }
}

/// One line of a round-trip sentence file.
struct RoundTripSentence {
    /// 1-based, counting sentences (not lines).
    var number: Int
    var text: String
    /// `dev` for odd numbers, `test` for even.
    var part: String

    /// One sentence a line; `#` lines and blank lines are skipped.
    static func read(_ url: URL) throws -> [RoundTripSentence] {
        var sentences: [RoundTripSentence] = []
        for (lineNumber, line) in try dataLines(of: url) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !WordErrorCount.normalizedWords(trimmed).isEmpty else {
                throw UserFacingError("\(url.path):\(lineNumber): no words in '\(trimmed)'")
            }
            let number = sentences.count + 1
            sentences.append(RoundTripSentence(number: number, text: trimmed, part: number % 2 == 1 ? "dev" : "test"))
        }
        guard !sentences.isEmpty else { throw UserFacingError("\(url.path): no sentences") }
        return sentences
    }
}

/// A voice in the round trip: ours, or espeak-ng run as a subprocess.
enum RoundTripVoice {
    case ours(SpeechSynthesizer)
    case espeak(voice: String)

    var name: String {
        switch self {
        case .ours(let synthesizer): return synthesizer.voice.name
        case .espeak: return "espeak-ng"
        }
    }

    /// The sentence spoken, 16 kHz mono.
    func speak(_ sentence: RoundTripSentence, scratch: URL) throws -> MonoAudio {
        switch self {
        case .ours(let synthesizer):
            do {
                return Resampler.resample(try synthesizer.synthesize(sentence.text), to: speechSampleRateHz)
            } catch {
                throw UserFacingError("sentence \(sentence.number) '\(sentence.text)': \(error)")
            }
        case .espeak(let voice):
            let file = scratch.appendingPathComponent("espeak-ng.wav")
            let result = try ProcessRunner.run(["espeak-ng", "-v", voice, "-w", file.path, sentence.text])
            guard result.status == 0 else {
                throw UserFacingError(
                    "espeak-ng -v \(voice) failed on sentence \(sentence.number) (exit \(result.status)): "
                        + result.standardError.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            do {
                return try SoundFile.readSpeech(file)
            } catch {
                throw UserFacingError("espeak-ng's output \(file.path): \(error)")
            }
        }
    }
}

/// One sentence's errors.
struct RoundTripScore {
    var words: WordErrorCount
    var letterErrors: Int
    var letters: Int
    var seconds: Double

    init(reference: String, heard: String, seconds: Double) {
        words = WordErrorCount(reference: reference, hypothesis: heard)
        let expected = Array(WordErrorCount.normalizedWords(reference).joined())
        letterErrors = editDistance(expected, Array(WordErrorCount.normalizedWords(heard).joined()))
        letters = expected.count
        self.seconds = seconds
    }
}

/// Errors summed over sentences of one voice and part.
struct RoundTripTotals {
    var sentences = 0
    var words = WordErrorCount()
    var letterErrors = 0
    var letters = 0
    var audioSeconds = 0.0

    var letterErrorRate: Double { Double(letterErrors) / Double(max(letters, 1)) }

    mutating func add(_ score: RoundTripScore) {
        sentences += 1
        words = words + score.words
        letterErrors += score.letterErrors
        letters += score.letters
        audioSeconds += score.seconds
    }
}

/// A private temporary folder for one run's intermediate files.
enum ScratchFolder {
    static func make() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-eval-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw UserFacingError("\(folder.path): cannot create: \(error.localizedDescription)")
        }
        return folder
    }
}
