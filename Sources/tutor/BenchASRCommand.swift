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
                what trimming the encoder to the audio present costs. When Scripts/peers/build-whisper-cpp has \
                built whisper.cpp's runner, each file is also transcribed by whisper.cpp on the same weights and \
                threads: with the same trimming (audio_ctx) and as many decoder steps as ours took (max_tokens: \
                equal work, the gate), with the same trimming and no cap (whisper.cpp has no repetition guard and \
                over trimmed audio often repeats the question until the 224-token limit), and with its default \
                30-second window. Totals are printed side by side with the ratios (ours / whisper.cpp). Greedy, no \
                timestamps, no fallback on both sides; one untimed warm-up transcription each first.
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
        @Flag(help: "Skip whisper.cpp even when its runner is built.")
        var noPeer = false
        @Option(help: "whisper-cpp-runner to compare with (default: the one Scripts/peers/build-whisper-cpp builds).")
        var peerRunner: String?

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
            let clips = try paths.map { file in
                do {
                    return (
                        name: URL(fileURLWithPath: file).lastPathComponent,
                        samples: try SoundFile.readSpeech(URL(fileURLWithPath: file)).samples
                    )
                } catch {
                    throw UserFacingError("\(error)")
                }
            }
            let peer = try startPeer()
            // One untimed run each, so neither side's first-call set-up counts.
            // Clips are heard as the kiosk hears questions: with a second of silence after them.
            var heardAsQuestions = TranscriptionOptions.default
            heardAsQuestions.appendedSilenceMilliseconds = TranscriptionOptions.questionSilenceMilliseconds
            _ = try recognizer.transcribe(clips[0].samples, options: heardAsQuestions)
            if let peer {
                _ = try peer.transcribe(clips[0].samples, language: "en", audioContext: 0)
            }

            var total = TranscriptionTimings()
            var peerSameTokensMilliseconds = 0.0
            var peerTrimmedMilliseconds = 0.0
            var peerWindowMilliseconds = 0.0
            for clip in clips {
                let samples = clip.samples
                let result = try recognizer.transcribe(samples, options: heardAsQuestions)
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
                let language = result.language
                // whisper.cpp is given what our encoder heard: the clip and the silence appended to it.
                let heard = heardAsQuestions.withAppendedSilence(samples)
                let audioContext = WhisperCppPeer.audioContext(sampleCount: heard.count)
                let sameTokens = try peer?.transcribe(
                    heard, language: language, audioContext: audioContext,
                    maximumTokens: max(1, result.tokens.count))
                let trimmed = try peer?.transcribe(heard, language: language, audioContext: audioContext)
                let window = try peer?.transcribe(samples, language: language, audioContext: 0)
                peerSameTokensMilliseconds += sameTokens?.milliseconds ?? 0
                peerTrimmedMilliseconds += trimmed?.milliseconds ?? 0
                peerWindowMilliseconds += window?.milliseconds ?? 0
                if json {
                    var object: [String: Any] = [
                        "file": clip.name, "model": model, "threads": threads, "text": result.text,
                        "language": result.language, "language_probability": result.languageProbability,
                        "no_speech_probability": result.noSpeechProbability,
                        "avg_logprob": result.averageLogProbability, "tokens": result.tokens.count,
                        "audio_ms": t.audioMilliseconds, "mel_ms": t.melMilliseconds,
                        "encoder_ms": t.encoderMilliseconds, "decoder_ms": t.decoderMilliseconds,
                        "total_ms": t.totalMilliseconds, "rtf": t.realTimeFactor,
                    ]
                    if let padded {
                        object["padded_text"] = padded.text
                        object["padded_avg_logprob"] = padded.averageLogProbability
                        object["padded_language"] = padded.language
                        object["padded_language_probability"] = padded.languageProbability
                        object["padded_total_ms"] = padded.timings.totalMilliseconds
                    }
                    if let sameTokens, let trimmed, let window {
                        object["whisper_cpp_same_tokens_ms"] = sameTokens.milliseconds
                        object["whisper_cpp_same_tokens_text"] = sameTokens.text
                        object["whisper_cpp_trimmed_ms"] = trimmed.milliseconds
                        object["whisper_cpp_trimmed_text"] = trimmed.text
                        object["whisper_cpp_30s_ms"] = window.milliseconds
                        object["whisper_cpp_30s_text"] = window.text
                    }
                    printJSON(object)
                } else {
                    print(
                        String(
                            format: "%@  %.0f ms audio  mel %.0f  enc %.0f  dec %.0f ms  RTF %.3f  %@ p %.2f  lp %.3f",
                            clip.name, t.audioMilliseconds, t.melMilliseconds, t.encoderMilliseconds,
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
                    if let sameTokens, let trimmed, let window {
                        for (label, peerResult) in [
                            ("trimmed, same tokens", sameTokens), ("trimmed", trimmed), ("30 s window", window),
                        ] {
                            print(
                                String(
                                    format: "    whisper.cpp %@ %.0f ms (enc %.0f)  %@",
                                    label.padding(toLength: 21, withPad: " ", startingAt: 0), peerResult.milliseconds,
                                    peerResult.encoderMilliseconds, peerResult.text))
                        }
                    }
                }
            }
            let peak = ProcessMemory.peakResidentMegabytes
            let ours = total.totalMilliseconds
            if json {
                var summary: [String: Any] = [
                    "summary": true, "model": model, "threads": threads, "files": paths.count,
                    "audio_ms": total.audioMilliseconds, "encoder_ms": total.encoderMilliseconds,
                    "decoder_ms": total.decoderMilliseconds, "total_ms": ours, "rtf": total.realTimeFactor,
                    "peak_rss_mb": peak,
                ]
                if peer != nil {
                    summary["whisper_cpp_same_tokens_ms"] = peerSameTokensMilliseconds
                    summary["ratio_vs_same_tokens"] = ours / peerSameTokensMilliseconds
                    summary["whisper_cpp_trimmed_ms"] = peerTrimmedMilliseconds
                    summary["whisper_cpp_30s_ms"] = peerWindowMilliseconds
                    summary["ratio_vs_trimmed"] = ours / peerTrimmedMilliseconds
                    summary["ratio_vs_30s"] = ours / peerWindowMilliseconds
                }
                printJSON(summary)
            } else {
                print(
                    String(
                        format: "total: %d files, %.0f ms audio, mel %.0f, encoder %.0f, decoder %.0f ms, RTF %.3f, "
                            + "peak RSS %.0f MB", paths.count, total.audioMilliseconds, total.melMilliseconds,
                        total.encoderMilliseconds, total.decoderMilliseconds, total.realTimeFactor, peak))
                if let peer {
                    print("side by side, \(threads) threads, \(peer.runner):")
                    print(String(format: "  ours (trimmed)                          %8.0f ms", ours))
                    for (label, milliseconds) in [
                        ("whisper.cpp trimmed, same tokens (gate)", peerSameTokensMilliseconds),
                        ("whisper.cpp trimmed, uncapped", peerTrimmedMilliseconds),
                        ("whisper.cpp 30 s windows", peerWindowMilliseconds),
                    ] {
                        print(
                            String(
                                format: "  %@ %8.0f ms   ours / it %.2fx",
                                label.padding(toLength: 39, withPad: " ", startingAt: 0), milliseconds,
                                ours / milliseconds))
                    }
                } else if !noPeer {
                    print(
                        "whisper.cpp        not built: run Scripts/peers/build-whisper-cpp to compare in the same run")
                }
            }
        }

        /// whisper.cpp on this model, or nil when skipped or never built.
        private func startPeer() throws -> WhisperCppPeer? {
            guard !noPeer else { return nil }
            let cacheURL = cache.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? TutorPaths.cacheDirectory()
            let runner = peerRunner.map { URL(fileURLWithPath: $0) } ?? WhisperCppPeer.defaultRunner(cache: cacheURL)
            guard peerRunner != nil || FileManager.default.isExecutableFile(atPath: runner.path) else { return nil }
            return try WhisperCppPeer(
                runner: runner, model: try WhisperCppPeer.modelFile(model, cache: cacheURL), threads: threads)
        }
    }
}
