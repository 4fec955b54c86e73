import ArgumentParser
import Audio
import Foundation
import Kernels
import Recognition
import Synthesis
import TutorCore

/// `tutor voice ...`: recorded voices.
struct VoiceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "voice",
        abstract: "Recorded voices: the prompt list a speaker reads, and a voice built from the recordings.",
        subcommands: [VoicePromptsCommand.self, VoiceBuildCommand.self])
}

/// `tutor voice build`: a diphone voice from recordings of a prompt list.
struct VoiceBuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build a recorded (diphone) voice from a folder of recordings of a prompt list.",
        discussion: """
            DIR holds prompts.tsv (ID<TAB>TEXT<TAB>PHONEMES lines) and one recording per prompt, <ID>.wav or \
            <ID>.flac. Each take is checked (missing, silent, too quiet, clipped; above 16 kHz it is resampled, \
            below refused), aligned to the formant voice saying the same phonemes, pitch-marked and cut into \
            diphones; the best unit per diphone is kept. Writes the voice file (-o, in Voices/ so --voice NAME \
            finds it), its phone map beside it (NAME.phones) and the units, NAME.diphones, in the model cache's \
            voices/ folder (a few MB: never committed). Prints what is covered, what is missing and what to \
            re-record.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "Language code of the prompts: en, sw, ...")
    var lang = "sw"

    @Option(help: "The recordings folder (prompts.tsv and <ID>.wav/.flac).")
    var recordings: String

    @Option(name: .shortAndLong, help: "The voice file to write, e.g. Voices/sw-espeak.voice.")
    var output: String

    @Option(help: "The formant voice the takes are aligned to.")
    var template = "deep"

    @Option(help: "Who or what read the prompts, for the voice file's description (default: the folder's name).")
    var source: String?

    @Option(help: "How far a boundary may move from the alignment to the nearest spectral change, ms (0: not at all).")
    var refineMs = 15.0

    @Flag(
        help:
            "Transcribe each take with Whisper (tiny.en for English, base otherwise) and refuse takes that say other words."
    )
    var checkWords = false

    @Option(help: "With --check-words: the letter error rate above which a take says the wrong words.")
    var maxLetterErrors = 0.5

    func run() throws {
        let language: Language
        let pronouncer: Pronouncer
        let targets: PhonemeTargets
        let template: Voice
        let resources = SynthesisResources()
        let voicesFolder = resources.rootDirectory.appendingPathComponent("Voices")
        do {
            language = try Language(code: lang)
            pronouncer = try Pronouncer(language: language, resources: resources)
            targets = try PhonemeTargets.load(from: voicesFolder.appendingPathComponent("phonemes.targets"))
            template = try Voice.load(named: self.template, folder: voicesFolder)
        } catch {
            throw UserFacingError("\(error)")
        }
        let folder = URL(fileURLWithPath: recordings)
        let prompts: [DiphonePrompt]
        do {
            prompts = try DiphonePromptList.load(
                from: folder.appendingPathComponent("prompts.tsv"), language: language,
                inventory: pronouncer.inventory
            ).prompts
        } catch {
            throw UserFacingError("\(error)")
        }
        var options = VoiceBuildOptions.default
        options.refineMilliseconds = refineMs
        var takes: [String: VoiceTake] = [:]
        for prompt in prompts {
            let candidates = ["wav", "flac"].map { folder.appendingPathComponent("\(prompt.id).\($0)") }
            guard let file = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
                takes[prompt.id] = .unavailable(reason: "no recording (\(prompt.id).wav or .flac in \(recordings))")
                continue
            }
            do {
                let sound = try SoundFile.read(file)
                let note = sound.channelCount > 1 ? "\(sound.channelCount) channels mixed to mono" : nil
                takes[prompt.id] = .audio(sound.mixedToMono(), note: note)
            } catch {
                takes[prompt.id] = .unavailable(reason: "\(file.lastPathComponent): \(error)")
            }
        }
        if checkWords { try refuseWrongWords(prompts: prompts, takes: &takes, language: language) }
        let builder = VoiceBuilder(
            language: language, inventory: pronouncer.inventory, targets: targets, template: template,
            options: options)
        let built: BuiltVoice
        do {
            built = try builder.build(prompts: prompts, takes: takes) { audio, rate in
                Resampler.resample(audio, to: rate)
            }
        } catch {
            throw UserFacingError("\(error)")
        }
        for line in built.report.lines { print(line) }
        let voiceURL = URL(fileURLWithPath: output)
        guard voiceURL.pathExtension == "voice" else {
            throw UserFacingError("-o \(output): expected a .voice file (e.g. Voices/sw-espeak.voice)")
        }
        let name = voiceURL.deletingPathExtension().lastPathComponent
        let unitsRelative = "voices/\(name).diphones"
        let unitsURL = TutorPaths.cacheDirectory().appendingPathComponent(unitsRelative)
        do {
            try built.units.write(to: unitsURL)
            try FileManager.default.createDirectory(
                at: voiceURL.deletingLastPathComponent(), withIntermediateDirectories: true)
            try built.phoneMapText.write(
                to: voiceURL.deletingLastPathComponent().appendingPathComponent("\(name).phones"), atomically: true,
                encoding: .utf8)
            try built.voiceText(
                name: name, language: language, diphones: "$CACHE/\(unitsRelative)", phones: "\(name).phones",
                source: source ?? folder.lastPathComponent
            ).write(to: voiceURL, atomically: true, encoding: .utf8)
        } catch {
            throw UserFacingError("\(error)")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: unitsURL.path)[.size] as? Int) ?? 0
        print("wrote \(output), \(name).phones beside it and \(unitsURL.path) (\(size / 1024) KB)")
    }

    /// Marks takes whose transcript is too far from the prompt's text as unavailable, with what was heard.
    func refuseWrongWords(prompts: [DiphonePrompt], takes: inout [String: VoiceTake], language: Language) throws {
        let (recognizer, options) = try TranscribeCommand.recognizer(
            language == .english ? "tiny.en" : "base", hearing: language, cache: nil,
            threadCount: defaultKernelThreadCount)
        for prompt in prompts {
            guard case .audio(let audio, _) = takes[prompt.id] else { continue }
            // A second of silence after a short word, as questions get: over a clip this short Whisper
            // otherwise often writes nothing or starts inventing.
            var speech = Resampler.resample(audio, to: speechSampleRateHz)
            speech.samples += [Float](repeating: 0, count: speechSampleRateHz)
            let heard: String
            do {
                heard = try recognizer.transcribe(speech.samples, options: options).text
            } catch {
                throw UserFacingError("\(prompt.id): \(error)")
            }
            let score = RoundTripScore(reference: prompt.text, heard: heard, seconds: audio.durationSeconds)
            let rate = Double(score.letterErrors) / Double(max(1, score.letters))
            if rate > maxLetterErrors {
                let shown = heard.trimmingCharacters(in: .whitespaces)
                takes[prompt.id] = .unavailable(
                    reason: "wrong words: heard '\(shown)' for '\(prompt.text)' "
                        + "(\(Int((100 * rate).rounded())) % of the letters wrong)")
            }
        }
    }
}
