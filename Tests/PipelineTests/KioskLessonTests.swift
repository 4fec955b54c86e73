import Audio
import Foundation
import Lessons
import Testing
import TutorCore

@testable import Pipeline

/// A lesson library in a temporary folder holding one ready lesson, "Magnets": `audio`, or 20 s of a 440 Hz tone.
struct TestLessonLibrary {
    let library: LessonLibrary
    let seconds: Double

    init(audio: MonoAudio? = nil) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-lessons-\(UUID().uuidString)")
        library = LessonLibrary(folder: folder)
        var lesson = Lesson(title: try LessonTitle("Magnets"), language: "en", source: .rendered, state: .ready)
        let rate = 16_000
        let tone = (0..<20 * rate).map { 0.2 * sinf(2 * .pi * 440 * Float($0) / Float(rate)) }
        let audio = audio ?? MonoAudio(samples: tone, sampleRateHz: rate)
        seconds = audio.durationSeconds
        lesson.seconds = seconds
        lesson.topics = ["magnets"]
        var manifest = LessonManifest()
        try manifest.upsert(lesson)
        try library.save(manifest)
        try SoundFile.write(audio, to: library.url(of: lesson.audioFile))
    }

    func remove() { try? FileManager.default.removeItem(at: library.folder) }
}

/// Written requests through the answerer: which utterances are lesson requests, and what is said when none fits.
@Suite struct KioskLessonRequestTests {
    static func answer(_ text: String, language: String, lessons: KioskLessons) throws -> WrittenAnswer {
        let tutor = try PipelineResources.tutorAnswerer(root: LiveModels.repository, languages: ["en", "sw"])
        var options = AnsweringOptions()
        options.language = language
        options.curatedOnly = true
        let answerer = QuestionAnswerer(
            answerer: tutor, englishRecognizer: nil, multilingualRecognizer: nil, generator: nil, options: options,
            lessons: lessons)
        var timings = PipelineTimings()
        var spoken: [String] = []
        let written = try answerer.answer(.text(text), cancellation: .init(), timings: &timings) { sentence, _ in
            spoken.append(sentence)
            return true
        }
        #expect(spoken == written.sentences)
        return written
    }

    @Test func aRequestPlaysTheLessonInEnglishAndInSwahili() throws {
        let library = try TestLessonLibrary()
        defer { library.remove() }
        let lessons = try KioskLessons(library: library.library, topics: nil)
        let english = try Self.answer("Play the lesson about magnets.", language: "en", lessons: lessons)
        #expect(english.lessonTitle == "Magnets")
        #expect(english.lessonAudio == library.library.url(of: "magnets.flac"))
        #expect(english.sentences.isEmpty)
        let swahili = try Self.answer("Cheza somo la magnets", language: "sw", lessons: lessons)
        #expect(swahili.lessonTitle == "Magnets")
    }

    @Test func aRequestNoLessonFitsGetsAKindReplyInTheChildsLanguageAndNothingElse() throws {
        let library = try TestLessonLibrary()
        defer { library.remove() }
        let lessons = try KioskLessons(library: library.library, topics: nil)
        let english = try Self.answer("play the lesson about rainbows", language: "en", lessons: lessons)
        #expect(english.lessonTitle == nil)
        #expect(english.sentences == [KioskLessons.noLessonReply(language: "en")])
        let swahili = try Self.answer("cheza somo kuhusu upinde wa mvua", language: "sw", lessons: lessons)
        #expect(swahili.sentences == [KioskLessons.noLessonReply(language: "sw")])
        #expect(swahili.sentences.first?.hasPrefix("Samahani") == true)
    }

    @Test func aGarbledRequestFindsNoLessonWhileASwahiliOneFindsItThroughTheCurriculum() throws {
        let library = try TestLessonLibrary()
        defer { library.remove() }
        let tutor = try PipelineResources.tutorAnswerer(root: LiveModels.repository, languages: ["en", "sw"])
        let lessons = try KioskLessons(library: library.library, topics: tutor.retriever)
        // "lesson" makes it a request; "mag" is some topic's word at best (rescaled against the best topic's
        // score, it found the magnets lesson).
        let garbled = try Self.answer("Pele de lesson abut mag", language: "en", lessons: lessons)
        #expect(garbled.lessonTitle == nil)
        #expect(garbled.sentences == [KioskLessons.noLessonReply(language: "en")])
        // No title word matches "sumaku": the lesson is found through the topic it was indexed with.
        let swahili = try Self.answer("cheza somo kuhusu sumaku", language: "sw", lessons: lessons)
        #expect(swahili.lessonTitle == "Magnets")
        #expect(swahili.sentences.isEmpty)
    }

    @Test func aQuestionWithoutARequestWordIsAnsweredAsBefore() throws {
        let library = try TestLessonLibrary()
        defer { library.remove() }
        let lessons = try KioskLessons(library: library.library, topics: nil)
        let written = try Self.answer("why do magnets pull nails", language: "en", lessons: lessons)
        #expect(written.lessonTitle == nil)
        #expect(written.authorship == "curated")
        #expect(written.topicID == "magnets")
        // Request words count only in the child's language: "cheza" is not an English request.
        #expect(!KioskLessons.isRequest("cheza magnets", language: "en"))
        #expect(KioskLessons.isRequest("cheza magnets", language: "auto"))
        #expect(KioskLessons.isRequest("Teia sōmo kufusu smaku", language: "sw"))
    }

    @Test func aLibraryFolderThatIsNotThereIsAConfigurationErrorWithItsLine() {
        #expect {
            try KioskConfiguration.parse("language = en\nlessons = /nonexistent/lessons", path: "kiosk.conf")
        } throws: { error in
            "\(error)" == "kiosk.conf:2: lessons must be an existing lesson library folder, found '/nonexistent/lessons'"
        }
    }

    @Test func aDamagedManifestIsAnErrorNamingItsFileAndLine() throws {
        let library = try TestLessonLibrary()
        defer { library.remove() }
        try "lesson Magnets\n    colour blue\n".write(to: library.library.manifestURL, atomically: true, encoding: .utf8)
        #expect {
            try KioskLessons(library: library.library, topics: nil)
        } throws: { error in
            "\(error)".hasPrefix("\(library.library.manifestURL.path):2:")
        }
    }
}

/// A spoken request through the virtual microphone: the lesson plays on the answer's speaker, and the child speaking
/// over it stops it as it stops an answer.
@Suite(.enabled(if: LiveModels.available, "needs whisper-tiny.en.gguf and silero-vad.gguf in the cache"), .serialized)
struct KioskLessonLiveTests {
    @Test func aSpokenRequestPlaysTheLessonAndTheChildSpeakingStopsIt() throws {
        let loop = try LiveModels.loop(output: RecordingOutput())
        // The lesson is spoken by the answer voice, as `tutor lesson render` would: about 20 s of sentences.
        let script = Array(repeating: "Magnets pull things made of iron, like nails and paper clips.", count: 5)
        let lessonAudio = try loop.graph.spoken(script.joined(separator: " "), language: "en")
        loop.graph.stop()
        let library = try TestLessonLibrary(audio: lessonAudio)
        defer { library.remove() }
        let requestFile = library.library.folder.appendingPathComponent("request.wav")
        let speak = Process()
        speak.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        speak.arguments = ["espeak-ng", "-v", "en-us", "-s", "140", "-w", requestFile.path, "play the lesson about magnets"]
        try speak.run()
        speak.waitUntilExit()
        try #require(speak.terminationStatus == 0, "espeak-ng failed")
        let room = try Room(
            question: try SoundFile.readSpeech(requestFile), silenceSeconds: 40, echoDecibels: -10,
            echoDelayMilliseconds: 50)
        room.childSpeech = try LiveModels.sample("magnet-nails-en-us-f-175.flac").samples
        room.childAfterAnswerSamples = 16_000  // the child speaks one second into the lesson
        let kiosk = try LiveModels.loop(
            output: room, lessons: try KioskLessons(library: library.library, topics: nil))
        let events = LoopEvents(kiosk)
        let deadline = Date(timeIntervalSinceNow: 120)
        kiosk.run(microphone: room) {
            Date() > deadline || (events.answered.count == 2 && events.answered[1].firstAnswerSampleTime != nil)
        }
        let lessonJob = try #require(events.answered.first)
        #expect(lessonJob.answer?.lessonTitle == "Magnets", "heard '\(lessonJob.answer?.question ?? "")'")
        #expect(lessonJob.answer?.sentences.isEmpty == true)
        let childStart = try #require(room.childStartIndex, "the lesson never played")
        let speechStart = childStart + 6_400  // the clip's 0.4 s of lead-in silence
        #expect(events.bargeIns.count == 1)
        let stopped = try #require(room.speakerStopped(afterPlayingAt: speechStart), "not playing when the child spoke")
        let onset = try #require(events.bargeIns.first?.onset)
        #expect(onset >= speechStart - 512, "barge-in began at \(onset), before the child's speech at \(speechStart)")
        // The speaker fell silent within 200 ms of the barge-in's onset, as for an answer. (Over a lesson in the
        // box's own voice at full level, the child was heard 0.2 to 0.6 s into their speech in our runs.)
        #expect(stopped - onset <= 3_200, "the lesson went on \(stopped - onset) samples after the child's onset")
        #expect(stopped - speechStart <= 16_000, "the lesson went on \(stopped - speechStart) samples over the child")
        // Played from the file, then cut: more than the second before the child, far less than the whole lesson.
        let played = lessonJob.timings.answerAudioSeconds
        #expect(played >= 1 && played < library.seconds / 2, "played \(played) s of the \(library.seconds) s lesson")
        // The child's words are heard as the next question and answered.
        #expect(events.answered.count == 2)
        #expect(events.answered.last?.answer?.sentences.isEmpty == false)
    }
}
