import ArgumentParser
import Audio
import Dispatch
import Foundation
import Lessons
import Synchronization
import TutorCore

/// Pause, resume and stop for a recording: SIGUSR1 pauses, SIGUSR2 resumes, and on a terminal the space bar
/// toggles and `q` (or Enter) stops. Ctrl-C and SIGTERM stop through `InterruptFlag`.
///
/// `@unchecked Sendable`: sources and the terminal settings are touched only in `init` and `restoreTerminal`;
/// the flags are atomic.
final class RecordingControl: @unchecked Sendable {
    private let paused = Atomic<Bool>(false)
    private let stopped = Atomic<Bool>(false)
    private var sources: [any DispatchSourceSignal] = []
    private var savedTerminal: termios?

    init(keys: Bool) {
        let queue = DispatchQueue(label: "voicetutor.recording-control")
        for (signalNumber, pause) in [(SIGUSR1, true), (SIGUSR2, false)] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler { [weak self] in self?.paused.store(pause, ordering: .relaxed) }
            source.resume()
            sources.append(source)
        }
        guard keys, isatty(STDIN_FILENO) == 1 else { return }
        var settings = termios()
        guard tcgetattr(STDIN_FILENO, &settings) == 0 else { return }
        savedTerminal = settings
        // Keys arrive one by one without echo; Ctrl-C still raises SIGINT (ISIG stays on).
        settings.c_lflag &= ~tcflag_t(ICANON | ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &settings)
        let thread = Thread { [weak self] in
            var byte: UInt8 = 0
            while read(STDIN_FILENO, &byte, 1) == 1 {
                guard let self else { return }
                switch byte {
                case UInt8(ascii: " "), UInt8(ascii: "p"):
                    self.paused.store(!self.paused.load(ordering: .relaxed), ordering: .relaxed)
                case UInt8(ascii: "q"), UInt8(ascii: "\n"):
                    self.stopped.store(true, ordering: .relaxed)
                    return
                default: continue
                }
            }
        }
        thread.name = "recording keys"
        thread.start()
    }

    var isPaused: Bool { paused.load(ordering: .relaxed) }
    var isStopped: Bool { stopped.load(ordering: .relaxed) }
    var hasKeys: Bool { savedTerminal != nil }

    func restoreTerminal() {
        guard var settings = savedTerminal else { return }
        tcsetattr(STDIN_FILENO, TCSANOW, &settings)
        savedTerminal = nil
    }

    deinit { restoreTerminal() }
}

/// The live line on a terminal: recorded time, a level meter and whether recording is paused.
struct LevelMeter {
    /// The meter spans this many decibels below full scale.
    static let floorDecibels = -60.0
    static let width = 30

    /// Level of a chunk in dBFS (RMS), at least `floorDecibels`.
    static func decibels(_ samples: [Float]) -> Double {
        guard !samples.isEmpty else { return floorDecibels }
        let power = samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(samples.count)
        return max(floorDecibels, 10 * log10(max(power, 1e-12)))
    }

    static func line(seconds: Double, decibels: Double, paused: Bool) -> String {
        let filled = Int(((decibels - floorDecibels) / -floorDecibels * Double(width)).rounded())
        let bar =
            String(repeating: "#", count: max(0, min(width, filled)))
            + String(repeating: "-", count: width - max(0, min(width, filled)))
        let state = paused ? "PAUSED " : "REC    "
        return "\r\(state)\(LessonCommand.minutesAndSeconds(seconds))  [\(bar)] \(String(format: "%4.0f", decibels)) dB"
    }
}

/// `tutor lesson record`: a teacher's lesson from the microphone into the library.
struct LessonRecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record a lesson from the microphone (or --mic-file) into the library, then transcribe and index it.",
        discussion: """
            The audio is written as 16 kHz mono FLAC and synced every half second: a crash or power cut loses at \
            most the last second. On a terminal a level meter and the time are shown; the space bar pauses and \
            resumes, q or Enter stops. Elsewhere SIGUSR1 pauses and SIGUSR2 resumes (kill -USR1 PID); Ctrl-C or \
            SIGTERM stops. Afterwards silence is trimmed at both ends, each utterance is transcribed with its \
            time into TITLE.transcript.tsv, and the lesson is indexed by curriculum topic. A full disk stops the \
            recording and keeps what was written; `tutor lesson index TITLE` finishes it later.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var library: LessonCommand.LibraryOptions
    @OptionGroup var source: CaptureSourceOptions

    @Option(help: "The lesson's title; it names the files (no path characters).")
    var title: String

    @Option(help: "The language spoken: en, sw, ...")
    var lang = "en"

    @Option(help: "Stop after this many seconds of recorded audio (default: until stopped or the end of --mic-file).")
    var seconds: Double?

    @Flag(help: "Replace a lesson with the same title.")
    var replace = false

    @Flag(help: "Keep the recording as it is: no trimming, transcription or indexing (`tutor lesson index` later).")
    var noTranscribe = false

    func validate() throws {
        _ = try LessonCommand.title(title)
        if let seconds, !(seconds > 0) { throw ValidationError("--seconds must be positive, got \(seconds)") }
        guard lang.count >= 2, lang.count <= 3, lang.allSatisfy({ $0.isASCII && $0.isLowercase }) else {
            throw ValidationError("--lang '\(lang)' is not a language code such as en or sw")
        }
    }

    func run() throws {
        global.bootstrapLogging()
        let interrupt = InterruptFlag()
        // A file-size limit (ulimit -f) then fails a write with EFBIG, like a full disk, instead of killing us.
        signal(SIGXFSZ, SIG_IGN)
        let lessonTitle = try LessonCommand.title(title)
        let folder = library.folder
        var manifest = try library.manifest()
        if let existing = manifest.lesson(titled: lessonTitle), !replace {
            throw UserFacingError(
                "a lesson titled \"\(existing.title.text)\" is already in \(folder.folder.path); "
                    + "choose another title or pass --replace")
        }
        let lesson = Lesson(title: lessonTitle, language: lang, source: .recorded)
        do {
            try manifest.upsert(lesson)
            try folder.save(manifest)
        } catch {
            throw UserFacingError("\(error)")
        }
        let url = folder.url(of: lesson.audioFile)
        let writer: SoundFileWriter
        do {
            writer = try SoundFileWriter(url: url, sampleRateHz: speechSampleRateHz, channelCount: 1)
        } catch {
            throw UserFacingError("\(error)")
        }
        let showsMeter = isatty(STDERR_FILENO) == 1
        let control = RecordingControl(keys: showsMeter)
        defer { control.restoreTerminal() }
        let (capture, keepAlive, name) = try source.start()
        defer { withExtendedLifetime(keepAlive) { capture.stop() } }
        let how = control.hasKeys ? "space pauses, q stops" : "SIGUSR1 pauses, SIGUSR2 resumes, Ctrl-C stops"
        printError("recording \"\(lessonTitle.text)\" from \(name) to \(url.path) (\(how))")

        let wanted = seconds.map { Int($0 * Double(speechSampleRateHz)) }
        var failure: Error?
        var lastMeter = Date.distantPast
        var reportedError: ALSAError?
        while !interrupt.isRaised, !control.isStopped {
            if let wanted, writer.framesWritten >= wanted { break }
            let room = wanted.map { $0 - writer.framesWritten } ?? speechSampleRateHz / 10
            guard let chunk = capture.ring.read(upTo: min(room, speechSampleRateHz / 10), waitingUpTo: 0.25) else {
                break  // the end of --mic-file
            }
            if chunk.isEmpty, let error = capture.lastError, error != reportedError {
                printError("\n\(error); retrying until it comes back")
                reportedError = error
            }
            let paused = control.isPaused
            if !paused, !chunk.isEmpty {
                do {
                    try writer.append(chunk)
                } catch {
                    failure = error
                    break
                }
            }
            if showsMeter, Date().timeIntervalSince(lastMeter) >= 0.1 {
                lastMeter = Date()
                let line = LevelMeter.line(
                    seconds: Double(writer.framesWritten) / Double(speechSampleRateHz),
                    decibels: LevelMeter.decibels(chunk), paused: paused)
                FileHandle.standardError.write(Data(line.utf8))
            }
        }
        capture.stop()
        control.restoreTerminal()
        if showsMeter { printError("") }
        var closeFailure: Error?
        do {
            try writer.close()
        } catch {
            closeFailure = error
        }
        let recorded = Double(writer.framesWritten) / Double(speechSampleRateHz)
        if let failure = failure ?? closeFailure {
            // A full disk: what was synced stays readable; finishing needs room, so it waits for `index`.
            // Read back what a player will find: the writer's count can include a block the disk cut short.
            let synced = Double(writer.framesSynced) / Double(speechSampleRateHz)
            let kept = (try? SoundFile.read(url)).map { Double($0.frameCount) / Double($0.sampleRateHz) } ?? synced
            throw UserFacingError(
                String(
                    format: "recording stopped: %@; %.1f s of audio are kept in %@ (up to %.1f s may be missing "
                        + "at the end). Free some space, then run `tutor lesson index \"%@\"` to trim, transcribe "
                        + "and index it.", "\(failure)", kept, url.path, max(0, recorded - kept), lessonTitle.text))
        }
        printError(
            String(
                format: "recorded %.2f s; dropped %d frames, %d overruns", recorded, capture.counters.droppedFrames,
                capture.counters.overruns))
        if noTranscribe {
            printError(
                "kept as recorded; `tutor lesson index \"\(lessonTitle.text)\"` trims, transcribes and indexes it")
            return
        }
        let finished: Lesson
        do {
            finished = try LessonFinishing.finish(lessonTitle, library: folder) { printError($0) }
        } catch {
            throw UserFacingError(
                "\(error)\nthe recording is kept in \(url.path); `tutor lesson index \"\(lessonTitle.text)\"` retries")
        }
        LessonCommand.reportFinished(finished, library: folder)
    }
}
