import ArgumentParser
import Audio
import Foundation
import Lessons
import Pipeline
import Tutor
import TutorCore

/// `tutor lesson ...`: teachers' lessons.
struct LessonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson",
        abstract: "Record, render, list, find and play teachers' lessons.",
        discussion: """
            Lessons live in a library folder (--library; default $VOICETUTOR_LESSONS, else \
            ~/.local/share/voicetutor/lessons) with a manifest, lessons.txt, listing each lesson's title, language, \
            audio, transcript and curriculum topics (format: Lessons/README.md). Titles name the files, so titles \
            with path characters are refused.
            """,
        subcommands: [
            List.self, Play.self, Find.self, LessonRecordCommand.self, LessonRenderCommand.self, Index.self,
            Transcribe.self,
        ]
    )

    /// The library folder option every lesson command takes.
    struct LibraryOptions: ParsableArguments {
        @Option(help: "The lesson library folder (default: $VOICETUTOR_LESSONS or ~/.local/share/voicetutor/lessons).")
        var library: String?

        var folder: LessonLibrary {
            LessonLibrary(
                folder: library.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? LessonLibrary.defaultFolder())
        }

        func manifest() throws -> LessonManifest {
            do {
                return try folder.loadManifest()
            } catch {
                throw UserFacingError("\(error)")
            }
        }
    }

    static func title(_ text: String) throws -> LessonTitle {
        do {
            return try LessonTitle(text)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// A lesson script read and checked, its errors (with the file and line) for the user.
    static func script(_ path: String) throws -> LessonScript {
        do {
            return try LessonScript.load(URL(fileURLWithPath: path))
        } catch {
            throw UserFacingError("\(error)")
        }
    }

    static func minutesAndSeconds(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        return String(format: "%d:%02d", whole / 60, whole % 60)
    }

    /// Plays a lesson's audio to the end, streaming it from the file (a long lesson is never held whole).
    static func play(_ lesson: Lesson, library: LessonLibrary, device: String) throws {
        let url = library.url(of: lesson.audioFile)
        let target = PlayCommand.playbackDevice(requested: device)
        if target != device { printError("no sound card: playing to ALSA's '\(target)' device instead of '\(device)'") }
        // A one-shot command says what is wrong with the device rather than wait for it forever.
        if case .failure(let error) = AudioDevices.probe(target, direction: .playback) {
            throw UserFacingError("\(error)")
        }
        printError("playing \"\(lesson.title.text)\" (\(minutesAndSeconds(lesson.seconds))) on '\(target)'")
        let speaker = ALSAPlayback(device: .device(target))
        speaker.start()
        defer { speaker.stop() }
        var seconds = 0.0
        do {
            try SoundFile.forEachMonoChunk(url) { chunk in
                seconds += chunk.durationSeconds
                return speaker.play(chunk)
            }
        } catch {
            throw UserFacingError("\(error)")
        }
        _ = speaker.waitUntilPlayed(
            timeoutSeconds: Double(PlaybackOptions.default.queueCapacityMilliseconds) / 1000 + 10)
        if abs(seconds - lesson.seconds) > 1 {
            printError(
                String(format: "played %.1f s; the library lists %.1f s for this lesson", seconds, lesson.seconds))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the lessons: title, language, length, state and topics (tab-separated).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var library: LibraryOptions

        func run() throws {
            global.bootstrapLogging()
            let manifest = try library.manifest()
            if manifest.lessons.isEmpty {
                printError(
                    "no lessons in \(library.folder.folder.path) yet: `tutor lesson record` or `tutor lesson render`")
                return
            }
            print("title\tlanguage\tlength\tstate\tsource\ttopics")
            for lesson in manifest.lessons {
                let state =
                    lesson.state == .ready ? "ready" : "unfinished (tutor lesson index \"\(lesson.title.text)\")"
                print(
                    [
                        lesson.title.text, lesson.language, LessonCommand.minutesAndSeconds(lesson.seconds), state,
                        lesson.source.rawValue, lesson.topics.joined(separator: " "),
                    ].joined(separator: "\t"))
            }
        }
    }

    struct Play: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Play a lesson by title, or the first lesson indexed with a curriculum topic.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var library: LibraryOptions
        @Argument(help: "The lesson's title.")
        var title: String?
        @Option(help: "Play the lesson whose topics include this curriculum topic id (magnets, gravity, ...).")
        var topic: String?
        @Option(help: "The ALSA playback device.")
        var device = "default"

        func validate() throws {
            guard (title == nil) != (topic == nil) else { throw ValidationError("give a TITLE or --topic, not both") }
        }

        func run() throws {
            global.bootstrapLogging()
            let manifest = try library.manifest()
            let lesson: Lesson
            if let title {
                do {
                    lesson = try library.folder.lesson(titled: LessonCommand.title(title), in: manifest)
                } catch let error as LessonError {
                    throw UserFacingError("\(error)")
                }
            } else if let topic {
                // The lesson where the topic ranks highest: a lesson about magnets before one that mentions them.
                let ranked = manifest.lessons.filter { $0.state == .ready }.compactMap { lesson in
                    lesson.topics.firstIndex(of: topic).map { (lesson: lesson, rank: $0) }
                }
                guard let found = ranked.min(by: { $0.rank < $1.rank })?.lesson else {
                    throw UserFacingError("no ready lesson in \(library.folder.folder.path) has the topic '\(topic)'")
                }
                lesson = found
            } else {
                throw ValidationError("give a TITLE or --topic")
            }
            try LessonCommand.play(lesson, library: library.folder, device: device)
        }
    }

    struct Find: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Find the lesson a request asks for (\"play the lesson about magnets\", \"cheza somo kuhusu sumaku\").",
            discussion: """
                Prints the matching lessons, best first: score, title-word share, topic score, title. The request's \
                frame words are dropped; the rest is matched against titles and, through the curriculum, against \
                each lesson's topics. A spoken request (--audio) is transcribed first, as `tutor ask` hears a \
                question, and a first line says what was heard: "heard (en): play the lesson about magnets". Exits \
                with an error when no lesson fits.
                """)
        /// Silence appended to a spoken request. A request is a few words and its last one names the lesson:
        /// without the silence Whisper base heard espeak-ng's "cheza somo kuhusu sumaku" (140 words a minute) as
        /// "Te'a"; with 1 s, as "Teia sōmo kufusu smaku".
        static let requestSilenceMilliseconds = 1_000

        @OptionGroup var global: GlobalOptions
        @OptionGroup var library: LibraryOptions
        @Argument(help: "What was asked, as text (the kiosk passes its transcript).")
        var request: String?
        @Option(help: "What was asked, as a sound file (WAV, FLAC, OGG; any rate), instead of text.")
        var audio: String?
        @Option(
            help: """
                The language of the request: en (with --audio, Whisper tiny.en), another recognized language (sw, \
                ha, yo, hi, ur; Whisper base) or auto to detect en or sw. Topics are matched in the language heard.
                """)
        var lang = TopicRetriever.automaticLanguage
        @Flag(help: "Play the best lesson.")
        var play = false
        @Option(help: "The ALSA playback device, with --play.")
        var device = "default"

        func validate() throws {
            guard (request == nil) != (audio == nil) else {
                throw ValidationError("give the request either as text or with --audio FILE, not both")
            }
            guard lang == TopicRetriever.automaticLanguage || TutorLanguage.named(lang)?.isRecognized == true else {
                let codes = TutorLanguage.all.filter(\.isRecognized).map(\.code).joined(separator: ", ")
                throw ValidationError("--lang must be one of \(codes) or auto (found '\(lang)')")
            }
        }

        func run() throws {
            global.bootstrapLogging()
            let manifest = try library.manifest()
            var text = request ?? ""
            var heardLanguage = lang
            var scorer: WhisperPhraseScorer?
            if let audio {
                let sound = try SpokenRequestRecognizer.read(audio)
                let recognizer = try SpokenRequestRecognizer(language: lang)
                let heard = try recognizer.transcribe(
                    sound, appendedSilenceMilliseconds: Self.requestSilenceMilliseconds)
                scorer = WhisperPhraseScorer(recognizer: recognizer.recognizer, samples: sound.samples)
                text = heard.text.trimmingCharacters(in: .whitespaces)
                guard !text.isEmpty else {
                    throw UserFacingError("\(audio): no speech heard (Whisper found only silence or noise)")
                }
                print("heard (\(heard.language)): \(text)")
                heardLanguage = heard.language
            }
            // A Swahili request Whisper wrote as garbled syllables is found by scoring the lessons' request
            // phrasings against its audio, in the language heard or else the one given.
            let finder = LessonFinder(manifest: manifest, topics: try TutorResources.answerer().retriever)
            var matches = try finder.find(text, language: heardLanguage, scorer: scorer)
            if matches.isEmpty, lang != heardLanguage, let scorer {
                matches = try finder.find(text, language: lang, scorer: scorer)
            }
            guard let best = matches.first else {
                throw UserFacingError("no lesson in \(library.folder.folder.path) fits \"\(text)\"")
            }
            if let phrase = best.heardPhrase {
                print(String(format: "scored phrasing: %@ (margin %.3f per word)", phrase, best.phraseMarginPerWord ?? 0))
            }
            for match in matches {
                print(
                    String(
                        format: "%.2f\t%.2f\t%.2f\t%@", match.score, match.titleScore, match.topicScore,
                        match.lesson.title.text))
            }
            if play { try LessonCommand.play(best.lesson, library: library.folder, device: device) }
        }
    }

    struct Index: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Trim, transcribe and index a lesson again (or finish one whose recording was interrupted).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var library: LibraryOptions
        @Argument(help: "The lesson's title.")
        var title: String

        func run() throws {
            global.bootstrapLogging()
            let lesson: Lesson
            do {
                lesson = try LessonFinishing.finish(try LessonCommand.title(title), library: library.folder) {
                    printError($0)
                }
            } catch let error as LessonError {
                throw UserFacingError("\(error)")
            }
            LessonCommand.reportFinished(lesson, library: library.folder)
        }
    }

    static func reportFinished(_ lesson: Lesson, library: LessonLibrary) {
        printError(
            "lesson \"\(lesson.title.text)\" ready: \(minutesAndSeconds(lesson.seconds)) in "
                + "\(library.url(of: lesson.audioFile).path), topics: "
                + (lesson.topics.isEmpty ? "none found" : lesson.topics.joined(separator: " ")))
    }

    struct Transcribe: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Transcribe a sound file of any length as a lesson is: utterance by utterance, with times.",
            discussion:
                "Prints the transcript format (start and end seconds and text, tab-separated; see Lessons/README.md).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "A sound file (any rate; read as 16 kHz mono).")
        var file: String
        @Option(help: "The language spoken: en uses Whisper tiny.en, others Whisper base.")
        var lang = "en"

        func run() throws {
            global.bootstrapLogging()
            let audio: MonoAudio
            do {
                audio = try SoundFile.readSpeech(URL(fileURLWithPath: file))
            } catch {
                throw UserFacingError("\(error)")
            }
            var speech = try LessonTranscriber(language: lang).analyse(audio)
            // Times from the file's start, not from the first word.
            let offset = Double(speech.keptRange?.lowerBound ?? 0) / Double(audio.sampleRateHz)
            for index in speech.transcript.segments.indices {
                speech.transcript.segments[index].startSeconds += offset
                speech.transcript.segments[index].endSeconds += offset
            }
            print(speech.transcript.tsv, terminator: "")
        }
    }
}
