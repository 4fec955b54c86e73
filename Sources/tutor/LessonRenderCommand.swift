import ArgumentParser
import Audio
import Foundation
import Lessons
import Synthesis
import TutorCore

/// `tutor lesson render`: a written lesson script spoken by the formant voice into a sound file.
struct LessonRenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Speak a lesson script (markup: Lessons/README.md) into a sound file, or into the library.",
        discussion: """
            Streams to disk sentence by sentence, so memory stays flat however long the script is. Markup it does \
            not know is an error naming the line. With --title the lesson goes into the library, with a transcript \
            holding each passage's times and the curriculum topics of the script.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var speech: SpeechOptionGroup
    @OptionGroup var library: LessonCommand.LibraryOptions

    @Argument(help: "The lesson script (.md).")
    var script: String

    @Option(name: .shortAndLong, help: "The sound file to write (.flac or .wav).")
    var output: String?

    @Option(help: "Add the lesson to the library under this title instead of writing -o.")
    var title: String?

    @Flag(help: "With --title: replace a lesson with the same title.")
    var replace = false

    func validate() throws {
        guard (output == nil) != (title == nil) else { throw ValidationError("give -o FILE or --title TITLE") }
        if let title { _ = try LessonCommand.title(title) }
    }

    func run() throws {
        global.bootstrapLogging()
        let parsed = try LessonCommand.script(script)
        var voice = try LessonVoice(base: speech.synthesizer())
        var lesson: Lesson?
        var manifest = LessonManifest()
        let outputURL: URL
        if let title {
            let lessonTitle = try LessonCommand.title(title)
            manifest = try library.manifest()
            if manifest.lesson(titled: lessonTitle) != nil, !replace {
                throw UserFacingError(
                    "a lesson titled \"\(lessonTitle.text)\" is already in the library; use --replace")
            }
            lesson = Lesson(title: lessonTitle, language: speech.lang, source: .rendered)
            outputURL = library.folder.url(of: lesson!.audioFile)
            do {
                try FileManager.default.createDirectory(at: library.folder.folder, withIntermediateDirectories: true)
            } catch {
                throw UserFacingError("\(library.folder.folder.path): cannot create the library folder: \(error)")
            }
        } else {
            outputURL = URL(fileURLWithPath: output!)
        }

        let started = Date()
        let (seconds, transcript) = try Self.render(parsed, voice: &voice, to: outputURL)
        let elapsed = Date().timeIntervalSince(started)
        if !voice.skippedWords.isEmpty {
            printError("skipped (no pronunciation): \(voice.skippedWords.joined(separator: " "))")
        }
        printError(
            String(
                format: "rendered %@ (%.1f s of audio) in %.2f s (%.0fx real time), peak RSS %.1f MB",
                outputURL.path, seconds, elapsed, seconds / max(elapsed, 1e-9), ProcessMemory.peakResidentMegabytes))
        guard var lesson else { return }
        lesson.transcriptFile = lesson.defaultTranscriptFile
        lesson.seconds = seconds
        lesson.state = .ready
        do {
            try library.folder.writeAtomically(transcript.tsv, to: library.folder.url(of: lesson.defaultTranscriptFile))
            lesson.topics = LessonTranscriber.topics(
                of: transcript.text, language: lesson.language, ranking: try TutorResources.answerer().retriever)
            manifest = try library.folder.loadManifest()
            try manifest.upsert(lesson)
            try library.folder.save(manifest)
        } catch let error as LessonError {
            throw UserFacingError("\(error)")
        }
        LessonCommand.reportFinished(lesson, library: library.folder)
    }

    /// Renders a script into a sound file as it goes (a progress bar on a terminal); returns the seconds of audio
    /// and a transcript holding each spoken passage with its times.
    static func render(
        _ script: LessonScript, voice: inout LessonVoice, to url: URL
    ) throws -> (
        seconds: Double, transcript: LessonTranscript
    ) {
        let writer: SoundFileWriter
        do {
            writer = try SoundFileWriter.syncingOnlyAtClose(url: url, sampleRateHz: voice.sampleRateHz, channelCount: 1)
        } catch {
            throw UserFacingError("\(error)")
        }
        let showsProgress = isatty(STDERR_FILENO) == 1
        var renderer = LessonRenderer(voice: voice)
        var segments: [LessonTranscript.Segment] = []
        var lastDrawn = Date.distantPast
        var itemIndex = 0
        var previousSeconds = 0.0
        do {
            try renderer.render(script, write: { try writer.append($0) }) { progress in
                if case .speech(let text, _) = script.items[itemIndex].part {
                    segments.append(.init(startSeconds: previousSeconds, endSeconds: progress.audioSeconds, text: text))
                }
                itemIndex += 1
                previousSeconds = progress.audioSeconds
                if showsProgress, Date().timeIntervalSince(lastDrawn) >= 0.1 || progress.fraction >= 1 {
                    lastDrawn = Date()
                    FileHandle.standardError.write(Data(Self.progressLine(progress).utf8))
                }
            }
            try writer.close()
        } catch {
            throw UserFacingError("\(error)")
        }
        if showsProgress { printError("") }
        voice = renderer.voice
        return (Double(writer.framesWritten) / Double(voice.sampleRateHz), LessonTranscript(segments: segments))
    }

    static func progressLine(_ progress: LessonRenderProgress) -> String {
        let width = 30
        let filled = Int((progress.fraction * Double(width)).rounded())
        return "\r[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] "
            + String(
                format: "%3.0f%%  %@ of audio", progress.fraction * 100,
                LessonCommand.minutesAndSeconds(progress.audioSeconds))
    }
}
