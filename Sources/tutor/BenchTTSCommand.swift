import ArgumentParser
import Foundation
import Synthesis
import TutorCore

/// `tutor bench tts`: synthesis speed (× real time on one thread) and first-audio latency.
struct BenchTTSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tts",
        abstract: "Synthesis speed on one thread: times real time, and time to the first audio chunk.",
        discussion: "Build with -c release for meaningful numbers. Loading (lexicon, voice) is not timed."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var speech: SpeechOptionGroup

    @Option(help: "Times to speak the sentence set.")
    var repeats = 5

    static let sentences: [Language: [String]] = [
        .english: [
            "The speed of light is about 3 × 10^8 m/s.",
            "Heavy things and light things fall at the same speed when there is no air.",
            "A magnet pulls iron nails, but it does not pull wood or plastic.",
            "Water boils at 100 °C at sea level.",
            "Why does the moon change shape? It does not; we see different parts of it lit by the sun.",
        ],
        .swahili: [
            "Mwanga husafiri kwa kasi ya mita 300,000,000 kwa sekunde.",
            "Vitu vizito na vyepesi huanguka kwa kasi sawa pasipo hewa.",
            "Sumaku huvuta misumari ya chuma, lakini haivuti mbao.",
            "Maji huchemka kwa 100 °C.",
            "Je, mwezi hubadilika umbo? Hapana, tunaona sehemu tofauti zenye mwanga wa jua.",
        ],
        .zulu: [
            "Ukukhanya kuhamba ngejubane lika 300,000,000 m/s.", "Amanzi abila kuma 100 °C.",
            "Uzibuthe udonsa insimbi, kodwa awudonsi ukhuni.",
        ],
        .chichewa: [
            "Kuwala kumayenda pa 300,000,000 m/s.", "Madzi amawira pa 100 °C.",
            "Maginito amakoka chitsulo, koma sakoka mtengo.",
        ],
        .hausa: ["Haske yana tafiya 300,000,000 m/s.", "Ruwà yana tafasa a 100 °C.", "Rānā tanà dà zāfi sosai."],
        .yoruba: ["Ìmọ́lẹ̀ ń rìn ní 300,000,000 m/s.", "Omi ń hó ní 100 °C.", "Oòrùn gbóná gan-an."],
        .hindi: ["प्रकाश 300,000,000 m/s की गति से चलता है।", "पानी 100 °C पर उबलता है।", "चुंबक लोहे को खींचता है।"],
        .urdu: [
            "روشنی 300,000,000 m/s کی رفتار سے چلتی ہے۔", "پانی 100 °C پر ابلتا ہے۔", "مقناطیس لوہے کو کھینچتا ہے۔",
        ],
    ]

    func run() throws {
        global.bootstrapLogging()
        let synthesizer = try speech.synthesizer()
        let language = try speech.language()
        let clock = ContinuousClock()
        var audioSeconds = 0.0
        var renderTime = Duration.zero
        var firstAudio: [Duration] = []
        // CPU time of this thread too: on a shared machine wall time includes waiting for a core.
        func threadCPUSeconds() -> Double {
            var time = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
            return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
        }
        let cpuStart = threadCPUSeconds()
        for _ in 0..<max(1, repeats) {
            for sentence in Self.sentences[language]! {
                var samples = 0
                let start = clock.now
                var stream = try synthesizer.stream(sentence)
                if let first = stream.next() {
                    firstAudio.append(clock.now - start)
                    samples += first.samples.count
                }
                while let chunk = stream.next() { samples += chunk.samples.count }
                renderTime += clock.now - start
                audioSeconds += Double(samples) / Double(synthesizer.options.sampleRateHz)
            }
        }
        let cpuSeconds = threadCPUSeconds() - cpuStart
        func seconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
        }
        let elapsed = seconds(renderTime)
        let realTime = audioSeconds / elapsed
        let sorted = firstAudio.map(seconds).sorted()
        let median = sorted[sorted.count / 2] * 1000
        let worst = (sorted.last ?? 0) * 1000
        print(
            String(
                format:
                    "%@ voice %@ at %d Hz: %.1f s of audio in %.3f s = %.0fx real time (%.0fx per CPU second); "
                    + "first audio median %.2f ms, max %.2f ms",
                language.rawValue, synthesizer.voice.name, synthesizer.options.sampleRateHz, audioSeconds, elapsed,
                realTime, audioSeconds / max(cpuSeconds, 1e-9), median, worst))
        print(
            String(
                format: "{\"bench\":\"tts\",\"lang\":\"%@\",\"voice\":\"%@\",\"sample_rate_hz\":%d,\"audio_s\":%.3f,"
                    + "\"elapsed_s\":%.4f,\"x_real_time\":%.1f,\"first_audio_ms_median\":%.3f,"
                    + "\"first_audio_ms_max\":%.3f,\"cpu_s\":%.4f}",
                language.rawValue, synthesizer.voice.name, synthesizer.options.sampleRateHz, audioSeconds, elapsed,
                realTime, median, worst, cpuSeconds))
    }
}
