import ArgumentParser
import Audio
import Foundation
import Lessons
import Tutor
import TutorCore

#if canImport(Glibc)
import Glibc
#endif

/// `tutor bench lesson`: renders a long generated lesson script as `tutor lesson render` does, in a child process,
/// and reports its peak memory and speed beside espeak-ng speaking the same words.
struct BenchLessonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson",
        abstract: "Peak RSS and speed of rendering a long lesson script, beside espeak-ng on the same text.",
        discussion: """
            The script is generated from the curriculum (each topic's title as a heading, its answer and \
            explanation as paragraphs, its first question to the class with a pause), repeated until it holds \
            about --minutes of speech. Each renderer runs as a child process; its peak RSS comes from wait4.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var speech: SpeechOptionGroup

    @Option(help: "Approximate length of the generated lesson, minutes.")
    var minutes = 30.0

    @Flag(help: "Print JSON instead of text.")
    var json = false

    /// The formant voice speaks about this many characters of script text per second (measured on the samples).
    static let charactersPerSecond = 14.0

    /// What a child process used.
    struct Usage {
        var status: Int32
        var seconds: Double
        var peakResidentMegabytes: Double
    }

    /// Runs a program to its end with output discarded and reports its wall time and peak RSS.
    static func measure(_ arguments: [String]) throws -> Usage {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var pid: pid_t = 0
        let started = Date()
        let cArguments = arguments.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        let status = posix_spawnp(&pid, arguments[0], &actions, nil, cArguments, environ)
        guard status == 0 else {
            throw UserFacingError("cannot start \(arguments[0]): \(String(cString: strerror(status)))")
        }
        var waitStatus: Int32 = 0
        var usage = rusage()
        while wait4(pid, &waitStatus, 0, &usage) < 0 && errno == EINTR {}
        let exitStatus = (waitStatus & 0x7F) == 0 ? (waitStatus >> 8) & 0xFF : 128 + (waitStatus & 0x7F)
        // ru_maxrss is in kilobytes on Linux.
        return Usage(
            status: exitStatus, seconds: Date().timeIntervalSince(started),
            peakResidentMegabytes: Double(usage.ru_maxrss) / 1024)
    }

    /// A lesson script of about `minutes` from the curriculum, and the same words as plain text for the peer.
    static func generatedScript(minutes: Double, language: String) throws -> (script: String, plain: String) {
        let curriculum: Curriculum
        do {
            curriculum = try CurriculumLoader(
                root: TutorPaths.resourceDirectory().appendingPathComponent("Curriculum")
            ).load()
        } catch {
            throw UserFacingError("\(error)")
        }
        let topics = curriculum.topics(in: language)
        guard !topics.isEmpty else { throw UserFacingError("the curriculum has no topics in '\(language)'") }
        // Characters that mean markup in a script are spaces in plain curriculum prose.
        func prose(_ text: String) -> String {
            String(text.map { "*[]_`<>{}|%#".contains($0) ? " " : $0 })
        }
        let wanted = Int(minutes * 60 * charactersPerSecond)
        var script = ""
        var plain = ""
        var spoken = 0
        var index = 0
        while spoken < wanted {
            let topic = topics[index % topics.count]
            index += 1
            let paragraphs = [topic.answer, topic.why].map(prose).filter { !$0.isEmpty }
            let question = topic.asks.first.map(prose).map { $0.hasSuffix("?") ? $0 : $0 + "?" }
            script += "# \(prose(topic.title))\n\n" + paragraphs.joined(separator: "\n\n") + "\n\n"
            if let question { script += "? \(question) [pause 3s]\n\n" }
            let words = [prose(topic.title) + "."] + paragraphs + (question.map { [$0] } ?? [])
            plain += words.joined(separator: "\n") + "\n"
            spoken += words.reduce(0) { $0 + $1.count }
        }
        return (script, plain)
    }

    func run() throws {
        global.bootstrapLogging()
        guard minutes > 0 else { throw ValidationError("--minutes must be positive") }
        let lang = speech.lang
        let (script, plain) = try Self.generatedScript(minutes: minutes, language: lang)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-bench-lesson-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let scriptURL = folder.appendingPathComponent("lesson.md")
        let plainURL = folder.appendingPathComponent("lesson.txt")
        let ours = folder.appendingPathComponent("lesson.flac")
        let peer = folder.appendingPathComponent("espeak.wav")
        try script.write(to: scriptURL, atomically: true, encoding: .utf8)
        try plain.write(to: plainURL, atomically: true, encoding: .utf8)
        do {
            _ = try LessonScript(text: script, path: scriptURL.path)
        } catch {
            throw UserFacingError("the generated script does not parse: \(error)")
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
        let usage = try Self.measure([
            executable, "lesson", "render", scriptURL.path, "--lang", lang, "--voice", speech.voice, "--rate",
            "\(speech.rate)", "--sample-rate", "\(speech.sampleRate)", "-o", ours.path,
        ])
        guard usage.status == 0 else {
            throw UserFacingError("`tutor lesson render` exited with status \(usage.status)")
        }
        let audioSeconds = try Self.soundSeconds(ours)
        var peerUsage: Usage?
        var peerSeconds: Double?
        if ProcessRunner.isAvailable("espeak-ng") {
            peerUsage = try Self.measure(["espeak-ng", "-v", lang, "-f", plainURL.path, "-w", peer.path])
            if peerUsage?.status == 0 { peerSeconds = try Self.soundSeconds(peer) }
        }
        if json {
            var object: [String: Any] = [
                "language": lang, "script_characters": script.count, "audio_seconds": audioSeconds,
                "wall_seconds": usage.seconds, "times_real_time": audioSeconds / usage.seconds,
                "peak_rss_mb": usage.peakResidentMegabytes,
            ]
            if let peerUsage, let peerSeconds {
                object["espeak_ng"] = [
                    "audio_seconds": peerSeconds, "wall_seconds": peerUsage.seconds,
                    "times_real_time": peerSeconds / peerUsage.seconds, "peak_rss_mb": peerUsage.peakResidentMegabytes,
                ]
            }
            printJSON(object)
            return
        }
        print("renderer\taudio min\twall s\tx real time\tpeak RSS MB")
        print(
            String(
                format: "tutor lesson render\t%.1f\t%.1f\t%.0f\t%.1f", audioSeconds / 60, usage.seconds,
                audioSeconds / usage.seconds, usage.peakResidentMegabytes))
        if let peerUsage, let peerSeconds {
            print(
                String(
                    format: "espeak-ng\t%.1f\t%.1f\t%.0f\t%.1f", peerSeconds / 60, peerUsage.seconds,
                    peerSeconds / peerUsage.seconds, peerUsage.peakResidentMegabytes))
            print(
                String(
                    format: "ratio (ours / espeak-ng)\tspeed %.2f\tpeak RSS %.2f",
                    (audioSeconds / usage.seconds) / (peerSeconds / peerUsage.seconds),
                    usage.peakResidentMegabytes / peerUsage.peakResidentMegabytes))
        } else {
            print("espeak-ng: not installed (apt install espeak-ng) or failed; no peer figures")
        }
    }

    static func soundSeconds(_ url: URL) throws -> Double {
        do {
            return try SoundFile.read(url).durationSeconds
        } catch {
            throw UserFacingError("\(error)")
        }
    }
}
