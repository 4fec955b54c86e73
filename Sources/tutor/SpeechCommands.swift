import ArgumentParser
import Audio
import Foundation
import Synthesis
import TutorCore

/// Options shared by the speech commands.
struct SpeechOptionGroup: ParsableArguments {
    @Option(help: "Language code: en, sw, zu, ny, ha, yo, hi or ur.")
    var lang = "en"

    @Option(help: "Voice name: a file in Voices/ (kind, deep; hi-nsk, recorded, for Hindi).")
    var voice = "kind"

    @Option(help: "Speaking rate: 1 is normal, 0.8 slower for young children.")
    var rate = 1.0

    @Option(help: "Sample rate of the audio, Hz (16000 or 22050).")
    var sampleRate = 22_050

    func language() throws -> Language {
        do {
            return try Language(code: lang)
        } catch {
            throw UserFacingError("\(error)")
        }
    }

    func synthesizer() throws -> SpeechSynthesizer {
        var options = SpeechOptions.default
        options.sampleRateHz = sampleRate
        options.prosody.rate = rate
        do {
            return try SpeechSynthesizer(language: language(), voiceName: voice, options: options)
        } catch let error as UserFacingError {
            throw error
        } catch {
            throw UserFacingError("\(error)")
        }
    }
}

/// `tutor say`: speaks a text, or writes it to a sound file.
struct SayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "say",
        abstract: "Speak a text with the formant voice or a recorded one (plays it, or writes -o FILE).",
        discussion: "With no sound card and the default device, it plays to ALSA's null device and says so."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var speech: SpeechOptionGroup

    @Argument(help: "The text to say.")
    var text: String

    @Option(name: .shortAndLong, help: "Write a sound file (.wav, .flac) instead of playing.")
    var output: String?

    @Option(help: "The ALSA playback device.")
    var device = "default"

    func run() throws {
        global.bootstrapLogging()
        let synthesizer = try speech.synthesizer()
        let started = Date()
        var stream: SpeechStream
        do {
            stream = try synthesizer.stream(text)
        } catch {
            throw UserFacingError("\(error)")
        }
        var samples: [Float] = []
        var firstChunkSeconds: Double?
        while let chunk = stream.next() {
            if firstChunkSeconds == nil { firstChunkSeconds = Date().timeIntervalSince(started) }
            samples += chunk.samples
        }
        let elapsed = Date().timeIntervalSince(started)
        let audio = MonoAudio(samples: samples, sampleRateHz: synthesizer.options.sampleRateHz)
        if !stream.utterance.skippedWords.isEmpty {
            printError("skipped (no pronunciation): \(stream.utterance.skippedWords.joined(separator: " "))")
        }
        if !stream.missingDiphones.isEmpty {
            printError(
                "diphones the voice lacks (joined through a pause): \(stream.missingDiphones.joined(separator: " "))")
        }
        if global.verbose {
            printError(
                String(
                    format: "said: %@\n%.2f s of audio in %.1f ms (%.0fx real time); first audio after %.1f ms",
                    stream.utterance.normalizedText, audio.durationSeconds, elapsed * 1000,
                    audio.durationSeconds / max(elapsed, 1e-9), (firstChunkSeconds ?? 0) * 1000))
        }
        if let output {
            do {
                try SoundFile.write(audio, to: URL(fileURLWithPath: output))
            } catch {
                throw UserFacingError("\(error)")
            }
            printError(String(format: "wrote %.2f s to %@", audio.durationSeconds, output))
            return
        }
        let target = PlayCommand.playbackDevice(requested: device)
        if target != device { printError("no sound card: playing to ALSA's '\(target)' device instead of '\(device)'") }
        do {
            _ = try ALSAPlayback.playToEnd(audio, device: target, counters: AudioCounters())
        } catch {
            throw UserFacingError("\(error)")
        }
    }
}

/// `tutor phonemes`: prints how a text is normalized and pronounced.
struct PhonemesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "phonemes",
        abstract: "Print the words and IPA phonemes a text is spoken with.",
        discussion: "One line per phrase: words separated by ' | '. With --verbose, where each word came from."
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Language code: en, sw, zu, ny, ha, yo, hi or ur.")
    var lang = "en"

    @Argument(help: "The text.")
    var text: String

    func run() throws {
        global.bootstrapLogging()
        let pronouncer: Pronouncer
        let language: Language
        do {
            language = try Language(code: lang)
            pronouncer = try Pronouncer(language: language)
        } catch {
            throw UserFacingError("\(error)")
        }
        let normalized = TextNormalizer(language: language).normalize(text)
        let (phrases, skipped) = pronouncer.phrases(normalized)
        if global.verbose { print("text: \(normalized)") }
        for phrase in phrases {
            let words = phrase.words.map { word in
                formatPhones(word.phones) + (global.verbose ? " (\(word.text): \(word.source.rawValue))" : "")
            }
            print(words.joined(separator: " | "))
        }
        if !skipped.isEmpty { printError("skipped (no pronunciation): \(skipped.joined(separator: " "))") }
        if phrases.isEmpty { throw UserFacingError("\(SynthesisError.nothingToSay(text: text))") }
    }
}
