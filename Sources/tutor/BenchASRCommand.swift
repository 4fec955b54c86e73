import ArgumentParser
import Audio
import Foundation
import Kernels
import Recognition
import TutorCore

extension BenchCommand {
    /// `tutor bench asr`: real-time factor, encoder and decoder milliseconds and peak RSS over spoken questions.
    struct ASR: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "asr",
            abstract: "Transcribe sound files with Whisper and report real-time factor, stage ms and peak RSS.",
            discussion: """
                By default every .flac in Samples/. --compare-padding also runs each file over a 30-second window \
                padded with silence (Whisper's default) and prints both transcripts and average log-probabilities: \
                what trimming the encoder to the audio present costs.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Sound files (default: Samples/*.flac).")
        var files: [String] = []
        @Option(help: "The model: tiny.en or base.")
        var model = "tiny.en"
        @Option(help: "The model cache (default: $VOICETUTOR_CACHE or ~/.cache/voicetutor).")
        var cache: String?
        @Option(help: "Worker threads (default: the number of cores).")
        var threads = defaultKernelThreadCount
        @Flag(help: "Also run each file padded to 30 seconds and compare.")
        var comparePadding = false
        @Flag(help: "Print JSON lines instead of a table.")
        var json = false

        func run() throws {
            global.bootstrapLogging()
            let path = try TranscribeCommand.modelPath(model, cache: cache)
            var paths = files
            if paths.isEmpty {
                let folder = TutorPaths.resourceDirectory().appendingPathComponent("Samples")
                let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
                paths = names.filter { $0.hasSuffix(".flac") }.sorted().map { folder.appendingPathComponent($0).path }
            }
            guard !paths.isEmpty else { throw UserFacingError("no sound files given and none in Samples/") }
            let recognizer: WhisperRecognizer
            do {
                recognizer = try WhisperRecognizer(model: WhisperModel(path: path), threadCount: threads)
            } catch {
                throw UserFacingError("\(error)")
            }
            var total = TranscriptionTimings()
            for file in paths {
                let samples: [Float]
                do {
                    samples = try SoundFile.readSpeech(URL(fileURLWithPath: file)).samples
                } catch {
                    throw UserFacingError("\(error)")
                }
                let name = URL(fileURLWithPath: file).lastPathComponent
                let result = try recognizer.transcribe(samples)
                let t = result.timings
                total.audioMilliseconds += t.audioMilliseconds
                total.melMilliseconds += t.melMilliseconds
                total.encoderMilliseconds += t.encoderMilliseconds
                total.decoderMilliseconds += t.decoderMilliseconds
                var padded: Transcription?
                if comparePadding {
                    var options = TranscriptionOptions.default
                    options.padToThirtySeconds = true
                    padded = try recognizer.transcribe(samples, options: options)
                }
                if json {
                    var object: [String: Any] = [
                        "file": name, "model": model, "threads": threads, "text": result.text,
                        "language": result.language, "language_probability": result.languageProbability,
                        "no_speech_probability": result.noSpeechProbability,
                        "avg_logprob": result.averageLogProbability, "tokens": result.tokens.count,
                        "audio_ms": t.audioMilliseconds, "mel_ms": t.melMilliseconds,
                        "encoder_ms": t.encoderMilliseconds, "decoder_ms": t.decoderMilliseconds,
                        "rtf": t.realTimeFactor,
                    ]
                    if let padded {
                        object["padded_text"] = padded.text
                        object["padded_avg_logprob"] = padded.averageLogProbability
                        object["padded_language"] = padded.language
                        object["padded_language_probability"] = padded.languageProbability
                        object["padded_total_ms"] = padded.timings.totalMilliseconds
                    }
                    printJSON(object)
                } else {
                    print(
                        String(
                            format: "%@  %.0f ms audio  mel %.0f  enc %.0f  dec %.0f ms  RTF %.3f  %@ p %.2f  lp %.3f",
                            name, t.audioMilliseconds, t.melMilliseconds, t.encoderMilliseconds,
                            t.decoderMilliseconds, t.realTimeFactor, result.language, result.languageProbability,
                            result.averageLogProbability))
                    print("    trimmed: \(result.text)")
                    if let padded {
                        print(
                            String(
                                format: "    padded:  %@  (%@ p %.2f, lp %.3f, %.0f ms)", padded.text, padded.language,
                                padded.languageProbability, padded.averageLogProbability,
                                padded.timings.totalMilliseconds))
                    }
                }
            }
            let peak = ProcessMemory.peakResidentMegabytes
            if json {
                printJSON([
                    "summary": true, "model": model, "threads": threads, "files": paths.count,
                    "audio_ms": total.audioMilliseconds, "encoder_ms": total.encoderMilliseconds,
                    "decoder_ms": total.decoderMilliseconds, "rtf": total.realTimeFactor, "peak_rss_mb": peak,
                ])
            } else {
                print(
                    String(
                        format: "total: %d files, %.0f ms audio, mel %.0f, encoder %.0f, decoder %.0f ms, RTF %.3f, "
                            + "peak RSS %.0f MB", paths.count, total.audioMilliseconds, total.melMilliseconds,
                        total.encoderMilliseconds, total.decoderMilliseconds, total.realTimeFactor, peak))
            }
        }
    }
}
