import ArgumentParser
import Audio
import Foundation
import Kernels
import Recognition
import TutorCore

/// `tutor eval asr`: word error rate of Whisper over the committed speech-recognition test set.
struct EvalASRCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "asr",
        abstract: "Transcribe the speech-recognition test set and print WER per model and source, and the RTF.",
        discussion: """
            The set is a TSV manifest: file, language, source, reference text (see Evaluation/asr/README.md); \
            relative files are found beside the manifest. English clips run with tiny.en and base, other \
            languages with base only; base is given each clip's language rather than detecting it. Transcription \
            is greedy without timestamps, as `tutor transcribe` does. WER is word-level Levenshtein distance after \
            lower-casing and removing punctuation, summed over clips. Clips with an empty reference (noise) are \
            left out of WER: for them the report says whether the transcript was empty. With --peer, whisper.cpp \
            (Scripts/peers/build-whisper-cpp) transcribes the same clips with the same weights, language and \
            threads, greedy without timestamps: `whisper.cpp` with its default 30-second window, and with \
            --peer-trimmed `whisper.cpp-trim` over the audio present (audio_ctx, as ours).
            """)
    @OptionGroup var global: GlobalOptions
    @Option(help: "The model: tiny.en, base or all.")
    var model = "all"
    @Option(help: "The manifest (default: Evaluation/asr/testset.tsv).")
    var set = "Evaluation/asr/testset.tsv"
    @Option(help: "The model cache (default: $VOICETUTOR_CACHE or ~/.cache/voicetutor).")
    var cache: String?
    @Option(help: "Worker threads (default: the number of cores).")
    var threads = defaultKernelThreadCount
    @Flag(help: "Also print every clip's transcript and errors.")
    var clips = false
    @Flag(help: "Print JSON lines instead of text.")
    var json = false
    @Flag(help: "Run our encoder over Whisper's padded 30-second window instead of the audio present.")
    var pad30 = false
    @Option(help: "Silence appended to each clip before our encoder runs, milliseconds (default: 1000, as questions are heard).")
    var appendSilence = TranscriptionOptions.questionSilenceMilliseconds
    @Flag(help: "Also transcribe every clip with whisper.cpp (its 30-second window) and report its WER.")
    var peer = false
    @Flag(help: "With --peer, also run whisper.cpp trimmed to the audio present (audio_ctx); slow: it loops.")
    var peerTrimmed = false
    @Option(help: "whisper-cpp-runner to use with --peer (default: the one Scripts/peers/build-whisper-cpp builds).")
    var peerRunner: String?

    func validate() throws {
        guard ["tiny.en", "base", "all"].contains(model) else {
            throw ValidationError("--model must be tiny.en, base or all (found '\(model)')")
        }
    }

    func run() throws {
        global.bootstrapLogging()
        let manifest = try Self.manifestURL(set)
        let rows = try ASRTestClip.read(manifest)
        let models = model == "all" ? ["tiny.en", "base"] : [model]
        for name in models {
            let selected = rows.filter { name == "base" || $0.language == "en" }
            guard !selected.isEmpty else { continue }
            let recognizer: WhisperRecognizer
            do {
                recognizer = try WhisperRecognizer(
                    model: WhisperModel(path: try TranscribeCommand.modelPath(name, cache: cache)),
                    threadCount: threads)
            } catch let error as UserFacingError {
                throw error
            } catch {
                throw UserFacingError("\(error)")
            }
            var whisperCpp: WhisperCppPeer?
            if peer {
                let cacheURL =
                    cache.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? TutorPaths.cacheDirectory()
                whisperCpp = try WhisperCppPeer(
                    runner: peerRunner.map { URL(fileURLWithPath: $0) }
                        ?? WhisperCppPeer.defaultRunner(cache: cacheURL),
                    model: try WhisperCppPeer.modelFile(name, cache: cacheURL), threads: threads)
            }
            let engines =
                [name] + (whisperCpp == nil ? [] : ["\(name) whisper.cpp"])
                + (whisperCpp == nil || !peerTrimmed ? [] : ["\(name) whisper.cpp-trim"])
            var groups: [String: ASRGroupTotals] = [:]
            var order: [String] = []
            for clip in selected {
                let samples: [Float]
                do {
                    samples = try SoundFile.readSpeech(clip.url).samples
                } catch {
                    throw UserFacingError("\(clip.url.path): cannot read: \(error)")
                }
                var options = TranscriptionOptions.default
                if name == "base" { options.language = clip.language }
                options.padToThirtySeconds = pad30
                options.appendedSilenceMilliseconds = appendSilence
                let result: Transcription
                do {
                    result = try recognizer.transcribe(samples, options: options)
                } catch {
                    throw UserFacingError("\(clip.url.path): \(error)")
                }
                var heard = [(engine: name, text: result.text, timings: result.timings)]
                if let whisperCpp {
                    let contexts = [0, WhisperCppPeer.audioContext(sampleCount: samples.count)]
                    for (engine, audioContext) in zip(engines.dropFirst(), contexts) {
                        let peerResult = try whisperCpp.transcribe(
                            samples, language: result.language, audioContext: audioContext)
                        var timings = TranscriptionTimings()
                        timings.audioMilliseconds = result.timings.audioMilliseconds
                        timings.encoderMilliseconds = peerResult.encoderMilliseconds
                        timings.decoderMilliseconds = peerResult.milliseconds - peerResult.encoderMilliseconds
                        heard.append((engine, peerResult.text, timings))
                    }
                }
                for (engine, text, timings) in heard {
                    let count = WordErrorCount(reference: clip.reference, hypothesis: text)
                    let key = "\(engine)|\(clip.source)|\(clip.language)"
                    if groups[key] == nil { order.append(key) }
                    groups[key, default: ASRGroupTotals(source: clip.source, language: clip.language)]
                        .add(count, timings: timings, emptyReference: clip.reference.isEmpty, text: text)
                    if clips {
                        report(clip: clip, model: engine, text: text, count: count, rtf: timings.realTimeFactor)
                    }
                }
            }
            for engine in engines {
                for language in ["en"] + Set(selected.map(\.language)).subtracting(["en"]).sorted() {
                    let keys = order.filter { $0.hasPrefix("\(engine)|") && groups[$0]?.language == language }
                    guard !keys.isEmpty else { continue }
                    var all = ASRGroupTotals(source: "all", language: language)
                    for key in keys {
                        guard let group = groups[key] else { continue }
                        report(group, model: engine)
                        all.merge(group)
                    }
                    report(all, model: engine)
                }
            }
        }
    }

    /// The manifest as given, or else under the repository's resource folder.
    static func manifestURL(_ path: String) throws -> URL {
        let given = URL(fileURLWithPath: path)
        if FileManager.default.fileExists(atPath: given.path) { return given }
        let resource = TutorPaths.resourceDirectory().appendingPathComponent(path)
        if !path.hasPrefix("/"), FileManager.default.fileExists(atPath: resource.path) { return resource }
        throw UserFacingError("\(path): no such manifest")
    }

    private func report(clip: ASRTestClip, model: String, text: String, count: WordErrorCount, rtf: Double) {
        if json {
            printJSON([
                "model": model, "file": clip.url.path, "language": clip.language, "source": clip.source,
                "reference": clip.reference, "text": text, "substitutions": count.substitutions,
                "deletions": count.deletions, "insertions": count.insertions, "words": count.referenceWords,
                "rtf": rtf,
            ])
        } else {
            print(
                String(
                    format: "%@  %@  S %d D %d I %d / %d  RTF %.3f  %@  ->  %@", model, clip.url.lastPathComponent,
                    count.substitutions, count.deletions, count.insertions, count.referenceWords, rtf,
                    clip.reference, text))
        }
    }

    private func report(_ group: ASRGroupTotals, model: String) {
        let c = group.count
        if json {
            var object: [String: Any] = [
                "model": model, "source": group.source, "language": group.language, "clips": group.clips,
                "words": c.referenceWords, "substitutions": c.substitutions, "deletions": c.deletions,
                "insertions": c.insertions, "audio_ms": group.timings.audioMilliseconds,
                "processing_ms": group.timings.totalMilliseconds, "rtf": group.timings.realTimeFactor,
            ]
            if c.referenceWords > 0 { object["wer"] = c.rate }
            if group.emptyReferenceClips > 0 {
                object["empty_reference_clips"] = group.emptyReferenceClips
                object["empty_transcripts"] = group.emptyTranscripts
                object["invented_texts"] = group.inventedTexts
            }
            printJSON(object)
            return
        }
        let columns =
            model.padding(toLength: max(8, model.count), withPad: " ", startingAt: 0) + " "
            + group.source.padding(toLength: max(16, group.source.count), withPad: " ", startingAt: 0) + " " + group.language
        var line =
            columns
            + String(
                format: "  %2d clips  %6.1f s  RTF %.3f", group.clips, group.timings.audioMilliseconds / 1000,
                group.timings.realTimeFactor)
        if c.referenceWords > 0 {
            line += String(
                format: "  WER %5.1f%% (%d words: S %d D %d I %d)", 100 * c.rate, c.referenceWords, c.substitutions,
                c.deletions, c.insertions)
        }
        if group.emptyReferenceClips > 0 {
            let invented = group.inventedTexts.map { "\"\($0)\"" }.joined(separator: ", ")
            line += "  noise: \(group.emptyTranscripts) of \(group.emptyReferenceClips) transcripts empty"
            if !invented.isEmpty { line += " (heard \(invented))" }
        }
        print(line)
    }
}

/// One row of an ASR test-set manifest.
struct ASRTestClip {
    var url: URL
    var language: String
    var source: String
    /// What was said; empty for noise, where the right transcript is empty.
    var reference: String

    /// Parses `file<TAB>language<TAB>source<TAB>reference`; `#` lines are comments; relative files are resolved
    /// beside the manifest.
    static func read(_ manifest: URL) throws -> [ASRTestClip] {
        let folder = manifest.deletingLastPathComponent()
        var rows: [ASRTestClip] = []
        for (number, line) in try dataLines(of: manifest) {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 4, !fields[0].isEmpty, !fields[1].isEmpty, !fields[2].isEmpty else {
                throw UserFacingError(
                    "\(manifest.path):\(number): expected file, language, source and reference separated by tabs, "
                        + "found \(fields.count) fields")
            }
            let url =
                fields[0].hasPrefix("/")
                ? URL(fileURLWithPath: fields[0]) : folder.appendingPathComponent(fields[0])
            guard FileManager.default.fileExists(atPath: url.path) else {
                let hint = url.path.hasPrefix("/usr/share/sounds/alsa") ? " (install the alsa-utils package)" : ""
                throw UserFacingError("\(manifest.path):\(number): \(url.path) is missing\(hint)")
            }
            rows.append(ASRTestClip(url: url, language: fields[1], source: fields[2], reference: fields[3]))
        }
        guard !rows.isEmpty else { throw UserFacingError("\(manifest.path): no clips listed") }
        return rows
    }
}

/// Word errors and timings summed over the clips of one model, source and language.
struct ASRGroupTotals {
    var source: String
    var language: String
    var clips = 0
    /// Over clips with a reference only.
    var count = WordErrorCount()
    var timings = TranscriptionTimings()
    var emptyReferenceClips = 0
    var emptyTranscripts = 0
    /// What was heard in clips whose reference is empty.
    var inventedTexts: [String] = []

    mutating func add(_ words: WordErrorCount, timings clip: TranscriptionTimings, emptyReference: Bool, text: String) {
        clips += 1
        timings.melMilliseconds += clip.melMilliseconds
        timings.encoderMilliseconds += clip.encoderMilliseconds
        timings.decoderMilliseconds += clip.decoderMilliseconds
        timings.audioMilliseconds += clip.audioMilliseconds
        if emptyReference {
            emptyReferenceClips += 1
            if WordErrorCount.normalizedWords(text).isEmpty {
                emptyTranscripts += 1
            } else {
                inventedTexts.append(text)
            }
        } else {
            count = count + words
        }
    }

    mutating func merge(_ other: ASRGroupTotals) {
        clips += other.clips
        count = count + other.count
        timings.melMilliseconds += other.timings.melMilliseconds
        timings.encoderMilliseconds += other.timings.encoderMilliseconds
        timings.decoderMilliseconds += other.timings.decoderMilliseconds
        timings.audioMilliseconds += other.timings.audioMilliseconds
        emptyReferenceClips += other.emptyReferenceClips
        emptyTranscripts += other.emptyTranscripts
        inventedTexts += other.inventedTexts
    }
}
