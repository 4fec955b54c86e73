import ArgumentParser
import Audio
import Foundation
import Kernels
import Recognition
import Synthesis
import TutorCore

/// `tutor transcribe FILE`: speech to text with Whisper, as the kiosk will hear a question.
struct TranscribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transcribe",
        abstract: "Transcribe a sound file with Whisper (tiny.en or base) from the model cache.",
        discussion: """
            The file is mixed to mono and resampled to 16 kHz. Up to 30 seconds are transcribed in one pass, \
            greedily, without timestamps. Longer recordings, and any file with --srt or --vtt, are transcribed in \
            30-second windows with Whisper's timestamps, each window starting where the last complete phrase \
            ended; --srt / --vtt print subtitles instead of the text. Silence or noise gives an empty line.
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "A sound file (WAV, FLAC, ...).")
    var file: String
    @Option(help: "The model: tiny.en or base (multilingual).")
    var model = "tiny.en"
    @Option(help: "The spoken language (en, sw, ha, ...); detected when omitted (base only).")
    var language: String?
    @Option(help: "When detecting, choose only among these comma-separated languages (e.g. en,sw).")
    var languages: String?
    @Option(help: "Text as if said before: biases spelling and vocabulary (e.g. physics words).")
    var prompt: String?
    @Option(
        name: .customLong("candidate"),
        help: "A known phrasing to score by forced decoding instead of transcribing (repeat for each).")
    var candidates: [String] = []
    @Option(help: "The model cache (default: $VOICETUTOR_CACHE or ~/.cache/voicetutor).")
    var cache: String?
    @Option(help: "Worker threads (default: the number of cores).")
    var threads = defaultKernelThreadCount
    @Flag(help: "Print the language, probabilities and milliseconds per stage.")
    var timings = false
    @Option(help: "Silence to append before recognizing, in milliseconds (helps Whisper end and identify languages).")
    var appendSilenceMs = 0
    @Option(help: "Beams searched (Whisper's transcribe uses 5); 1 is greedy.")
    var beamSize = 1
    @Flag(help: "Whisper's temperature fallback: sample at 0.2 ... 1.0 while the greedy text looks like a failure.")
    var fallback = false
    @Flag(help: "Run the encoder over a 30-second window padded with silence (Whisper's default) for comparison.")
    var pad30 = false
    @Flag(help: "Print SubRip subtitles (timestamps from 30-second windows).")
    var srt = false
    @Flag(help: "Print WebVTT subtitles (timestamps from 30-second windows).")
    var vtt = false

    func validate() throws {
        if srt && vtt { throw ValidationError("--srt and --vtt: choose one") }
    }

    /// The converted GGUF of a model name in the cache.
    static func modelPath(_ name: String, cache: String?) throws -> String {
        guard ["tiny.en", "base"].contains(name) else {
            throw UserFacingError("unknown model '\(name)', expected tiny.en or base")
        }
        let cacheURL = cache.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? TutorPaths.cacheDirectory()
        let path = cacheURL.appendingPathComponent("models/whisper-\(name).gguf").path
        guard FileManager.default.fileExists(atPath: path) else {
            throw UserFacingError("\(path) is missing: run `tutor models fetch` and `tutor models convert` first")
        }
        return path
    }

    /// A recognizer for a model name in the cache, with the options to hear `language` (base is told it; tiny.en
    /// hears English only). A missing or bad model file becomes the error the user sees.
    static func recognizer(
        _ name: String, hearing language: Language, cache: String?, threadCount: Int
    ) throws -> (WhisperRecognizer, TranscriptionOptions) {
        let recognizer: WhisperRecognizer
        do {
            recognizer = try WhisperRecognizer(
                model: WhisperModel(path: modelPath(name, cache: cache)), threadCount: threadCount)
        } catch let error as UserFacingError {
            throw error
        } catch {
            throw UserFacingError("\(error)")
        }
        var options = TranscriptionOptions.default
        if name == "base" { options.language = language.rawValue }
        return (recognizer, options)
    }

    func run() throws {
        global.bootstrapLogging()
        let path = try Self.modelPath(model, cache: cache)
        let audio: MonoAudio
        do {
            audio = try SoundFile.readSpeech(URL(fileURLWithPath: file))
        } catch {
            throw UserFacingError("\(error)")
        }
        let result: Transcription
        do {
            let recognizer = try WhisperRecognizer(model: WhisperModel(path: path), threadCount: threads)
            if !candidates.isEmpty {
                let scores = try recognizer.scorePhrases(
                    audio.samples, candidates: candidates, language: language, initialPrompt: prompt)
                for score in scores.sorted(by: { $0.averageLogProbability > $1.averageLogProbability }) {
                    print(
                        String(
                            format: "%8.3f per token  %8.3f total  %@", score.averageLogProbability,
                            score.logProbability, score.text))
                }
                return
            }
            var options = TranscriptionOptions(language: language, initialPrompt: prompt)
            options.padToThirtySeconds = pad30
            options.appendedSilenceMilliseconds = appendSilenceMs
            options.beamSize = max(1, beamSize)
            if fallback { options.temperatures = TranscriptionOptions.whisperTemperatures }
            options.candidateLanguages = languages?.split(separator: ",").map(String.init)
            let seconds = Double(audio.samples.count) / Double(LogMelFrontEnd.sampleRateHz)
            if srt || vtt || seconds > 30 {
                var long = LongTranscriptionOptions()
                long.window = options
                let transcript = try recognizer.transcribeLong(audio.samples, options: long)
                if srt || vtt {
                    print((srt ? SubtitleFormat.srt : .vtt).render(transcript.segments), terminator: "")
                } else {
                    print(transcript.text)
                }
                if timings {
                    let t = transcript.timings
                    print(
                        String(
                            format: "language %@, %d windows decoded, %d segments; audio %.0f ms: mel %.1f ms, "
                                + "encoder %.1f ms, decoder %.1f ms, total %.1f ms, RTF %.3f", transcript.language,
                            transcript.windowCount, transcript.segments.count, t.audioMilliseconds,
                            t.melMilliseconds, t.encoderMilliseconds, t.decoderMilliseconds, t.totalMilliseconds,
                            t.realTimeFactor))
                }
                return
            }
            result = try recognizer.transcribe(audio.samples, options: options)
        } catch {
            throw UserFacingError("\(error)")
        }
        print(result.text)
        if timings {
            let t = result.timings
            print(
                String(
                    format: "language %@ (p %.3f), no-speech p %.3f, avg logprob %.3f, %d tokens, temperature %.1f%@%@",
                    result.language, result.languageProbability, result.noSpeechProbability,
                    result.averageLogProbability, result.tokens.count, result.temperature,
                    result.droppedAsNoSpeech ? ", dropped as no speech" : "",
                    result.stoppedByRepetition ? ", stopped by repetition" : ""))
            print(String(format: "compression ratio %.2f", result.compressionRatio))
            print(
                String(
                    format: "audio %.0f ms: mel %.1f ms, encoder %.1f ms, decoder %.1f ms, total %.1f ms, RTF %.3f",
                    t.audioMilliseconds, t.melMilliseconds, t.encoderMilliseconds, t.decoderMilliseconds,
                    t.totalMilliseconds, t.realTimeFactor))
        }
    }
}
