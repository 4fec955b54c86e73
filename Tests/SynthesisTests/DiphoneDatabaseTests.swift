import Foundation
import Synthesis
import Testing

/// A grouped festvox diphone file written in memory: the same layout Debian's festvox-hi-nsk ships, small.
enum SyntheticDiphones {
    /// One unit: LPC order 2 with zero coefficients (so the waveform is the residual), pitch marks every
    /// `periodSamples`, a 16-bit linear residual of one pulse per mark.
    struct Unit {
        var name: String
        var periodSamples: Int
        var marks: Int
        var boundary: Int
        /// Peak of each pulse, 16-bit scale.
        var amplitude = 12_000.0
    }

    static func file(_ units: [Unit], sampleRateHz: Int = 16_000) -> Data {
        var body = Data()
        var index: [String] = []
        for unit in units {
            let trackOffset = body.count
            let header = """
                EST_File Track
                DataType binary
                NumFrames \(unit.marks)
                ByteOrder 01
                NumChannels 3
                BreaksPresent true
                CommentChar ;

                Channel_0 lpc_0
                Channel_1 lpc_1
                Channel_2 lpc_N
                EST_Header_End

                """
            body += Data(header.utf8)
            for mark in 0..<unit.marks {
                let time = Float((mark + 1) * unit.periodSamples) / Float(sampleRateHz)
                for value in [time, 1, 100, 0, 0] as [Float] { body += littleEndian(value.bitPattern) }
            }
            let signalOffset = body.count
            let count = (unit.marks + 2) * unit.periodSamples
            body += Data(".snd".utf8)
            for value in [24, UInt32(count * 2), 3, UInt32(sampleRateHz), 1] as [UInt32] { body += bigEndian(value) }
            for sample in 0..<count {
                // A decaying pulse each period: voiced-like, with a clear fundamental.
                let phase = sample % unit.periodSamples
                let value = Int16(unit.amplitude * exp(-Double(phase) / 12) * cos(Double(phase) * 0.6))
                body += Data([
                    UInt8(truncatingIfNeeded: UInt16(bitPattern: value) >> 8), UInt8(truncatingIfNeeded: value),
                ])
            }
            index.append("\(unit.name) \(trackOffset) \(signalOffset) \(unit.boundary)")
        }
        let head = """
            EST_File index
            DataType ascii
            NumEntries \(units.count)
            IndexName synthetic
            DataFormat grouped
            Version 2
            track_file_format est_binary
            sig_file_format snd
            EST_Header_End
            \(index.joined(separator: "\n"))

            """
        return Data(head.utf8) + body
    }

    static func littleEndian(_ value: UInt32) -> Data {
        Data((0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) })
    }
    static func bigEndian(_ value: UInt32) -> Data {
        Data((0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) })
    }

    /// Units for a toy phone set: pauses and the vowel `a` around the consonant `m`.
    static let toyUnits: [Unit] = ["pau-a", "a-m", "m-a", "a-pau", "pau-m", "m-pau"].map {
        Unit(name: $0, periodSamples: 160, marks: 20, boundary: 10)
    }

    static let toyMap = "_ pau\na a\nm m\n"
}

/// Fundamental frequency of a stretch by normalized autocorrelation over 60-400 Hz: the shortest lag scoring within
/// 10% of the best, so a periodic signal is not read an octave low (twice the period scores as well as once).
func estimatedPitchHz(_ samples: ArraySlice<Float>, sampleRateHz: Int) -> Double {
    let values = Array(samples)
    let lags = Array((sampleRateHz / 400)...(sampleRateHz / 60)).filter { $0 < values.count / 2 }
    let scores = lags.map { lag -> Double in
        var sum = 0.0
        var energy = 0.0
        var lagged = 0.0
        for index in 0..<(values.count - lag) {
            sum += Double(values[index] * values[index + lag])
            energy += Double(values[index] * values[index])
            lagged += Double(values[index + lag] * values[index + lag])
        }
        return sum / max((energy * lagged).squareRoot(), 1e-12)
    }
    let best = scores.max() ?? 0
    // The first local peak near the best.
    for index in scores.indices where scores[index] >= 0.9 * best {
        if index + 1 < scores.count && scores[index + 1] > scores[index] { continue }
        return Double(sampleRateHz) / Double(lags[index])
    }
    return 0
}

/// The grouped diphone file reader and the TD-PSOLA engine, on a small database written here.
@Suite struct DiphoneDatabaseTests {
    static let path = "/tmp/synthetic.group"

    @Test func readsEveryUnitWithItsPitchMarksAndBoundary() throws {
        let database = try DiphoneDatabase(data: SyntheticDiphones.file(SyntheticDiphones.toyUnits), path: Self.path)
        #expect(database.names.count == 6)
        #expect(database.sampleRateHz == 16_000)
        #expect(database.lpcOrder == 2)
        let unit = try #require(database.unit("a-m"))
        #expect(unit.pitchMarks.count == 20)
        #expect(unit.pitchMarks[0] == 160 && unit.pitchMarks[1] == 320)
        #expect(unit.boundaryMark == 10)
        #expect(unit.samples.count == 22 * 160)
        #expect(abs(unit.samples[0] - 12_000 / 32_768) < 1e-3)
        #expect(database.unit("m-m") == nil)
    }

    @Test func rejectsAFileThatIsNotADiphoneIndexWithThePathInTheMessage() {
        let error = #expect(throws: SynthesisError.self) {
            try DiphoneDatabase(data: Data("RIFF....WAVEfmt ".utf8), path: Self.path)
        }
        #expect(error?.description.hasPrefix(Self.path) == true)
        #expect(error?.description.contains("EST_File index") == true)
    }

    @Test func rejectsATruncatedFileNamingTheIndexLineOfTheUnitCut() throws {
        let whole = SyntheticDiphones.file(SyntheticDiphones.toyUnits)
        let error = #expect(throws: SynthesisError.self) {
            try DiphoneDatabase(data: whole.prefix(whole.count - 500), path: Self.path)
        }
        // The last unit, m-pau, is index line 15 (9 header lines before the index).
        #expect(error?.description.hasPrefix("\(Self.path):15: 'm-pau'") == true)
        #expect(error?.description.contains("truncated") == true)
    }

    @Test func rejectsAGarbledIndexLineWithFileAndLine() throws {
        var data = SyntheticDiphones.file(SyntheticDiphones.toyUnits)
        let at = try #require(data.firstRange(of: Data("\na-m ".utf8)))
        data[at.upperBound] = UInt8(ascii: "x")
        let error = #expect(throws: SynthesisError.self) { try DiphoneDatabase(data: data, path: Self.path) }
        #expect(error?.description.hasPrefix("\(Self.path):11:") == true)
    }

    @Test func rejectsABoundaryOutsideTheUnitsFrames() throws {
        var units = SyntheticDiphones.toyUnits
        units[2].boundary = 40
        let error = #expect(throws: SynthesisError.self) {
            try DiphoneDatabase(data: SyntheticDiphones.file(units), path: Self.path)
        }
        #expect(error?.description == "\(Self.path):12: 'm-a': boundary frame 40 is outside its 20 frames")
    }

    @Test func rejectsAPhoneMapNamingAPhoneNoUnitHas() throws {
        let database = try DiphoneDatabase(data: SyntheticDiphones.file(SyntheticDiphones.toyUnits), path: Self.path)
        let map = try DiphonePhoneMap(text: SyntheticDiphones.toyMap + "o oo\n", path: "Voices/toy.phones")
        let error = #expect(throws: SynthesisError.self) { try DiphoneVoice(database: database, phoneMap: map) }
        #expect(error?.description.hasPrefix("Voices/toy.phones:4: 'o': phone 'oo'") == true)
    }

    @Test func aVoiceWhoseDatabaseIsNotInstalledNamesThePathAndThePackage() throws {
        let voice = try Voice.parse(
            "diphones /nonexistent/NSKlpc.group\ndiphone-phones hi-nsk.phones\npackage festvox-hi-nsk\n",
            path: "v.voice", name: "v")
        let error = #expect(throws: SynthesisError.self) {
            try DiphoneVoice.load(voice, folder: TestResources.repository.appendingPathComponent("Voices"))
        }
        #expect(error?.description.hasPrefix("/nonexistent/NSKlpc.group: cannot read") == true)
        #expect(error?.description.contains("install the Debian package festvox-hi-nsk") == true)
    }

    @Test func aVoiceWithADatabaseButNoPhoneMapIsAnErrorWithFileAndLine() {
        #expect(
            throws: SynthesisError.invalidLine(
                path: "v.voice", line: 2, reason: "'diphones' and 'diphone-phones' go together: give both or neither")
        ) {
            try Voice.parse("pitch-hz 120\ndiphones /x.group\n", path: "v.voice", name: "v")
        }
    }

    /// Segments for "ama" at a steady pitch.
    static func ama(pitchHz: Double, vowelMilliseconds: Double) -> [Segment] {
        [("_", 50.0), ("a", vowelMilliseconds), ("m", 80), ("a", vowelMilliseconds), ("_", 50)].map {
            Segment(
                symbol: $0.0, target: nil, durationMilliseconds: $0.1, startPitchHz: $0.0 == "_" ? 0 : pitchHz,
                endPitchHz: $0.0 == "_" ? 0 : pitchHz, stress: .none)
        }
    }

    static func render(
        _ segments: [Segment], sampleRateHz: Int = 16_000, units: [SyntheticDiphones.Unit] = SyntheticDiphones.toyUnits
    ) throws -> [Float] {
        let database = try DiphoneDatabase(data: SyntheticDiphones.file(units), path: Self.path)
        let voice = try DiphoneVoice(
            database: database, phoneMap: DiphonePhoneMap(text: SyntheticDiphones.toyMap, path: "toy.phones"))
        var renderer = try voice.renderer(for: segments, sampleRateHz: sampleRateHz)
        var samples: [Float] = []
        while let chunk = renderer.next(maxSamples: 800) { samples += chunk }
        #expect(samples.count == renderer.totalSamples)
        return samples
    }

    /// The units are recorded at 100 Hz; the output follows the pitch asked for, not the recording's.
    @Test(arguments: [(80.0, 16_000), (150.0, 16_000), (220.0, 22_050)])
    func theVowelsAreAtThePitchAsked(pitchHz: Double, sampleRateHz: Int) throws {
        let samples = try Self.render(Self.ama(pitchHz: pitchHz, vowelMilliseconds: 200), sampleRateHz: sampleRateHz)
        // The middle of the first vowel: 50 ms pause, then 200 ms of a.
        let centre = Int(0.15 * Double(sampleRateHz))
        let window = Int(0.04 * Double(sampleRateHz))
        let measured = estimatedPitchHz(samples[(centre - window)..<(centre + window)], sampleRateHz: sampleRateHz)
        #expect(abs(measured - pitchHz) / pitchHz < 0.04, "asked \(pitchHz) Hz, measured \(measured) Hz")
    }

    /// Stretching a vowel lengthens the audio by as much, and the sound fills it.
    @Test func theAudioIsAsLongAsTheSegmentsAndSoundsThroughThem() throws {
        for vowel in [100.0, 300.0] {
            let samples = try Self.render(Self.ama(pitchHz: 120, vowelMilliseconds: vowel))
            let expected = Int((50 + vowel + 80 + vowel + 50) * 16)
            #expect(abs(samples.count - expected) <= 1)
            // Every 20 ms inside the speech carries sound (no gaps from the stretching).
            let speech = (50 * 16)..<(expected - 50 * 16 - 320)
            for start in stride(from: speech.lowerBound + 160, to: speech.upperBound - 320, by: 320) {
                let rms = (samples[start..<(start + 320)].reduce(0) { $0 + $1 * $1 } / 320).squareRoot()
                #expect(rms > 0.02, "silent at \(start / 16) ms with a \(vowel) ms vowel")
            }
        }
    }

    /// Two units recorded 12 dB apart meet in the middle of the m: the level ramps across the join instead of
    /// stepping (a step is heard as a click or a jump in loudness).
    @Test func unitsOfDifferentLoudnessMeetWithoutAStep() throws {
        var units = SyntheticDiphones.toyUnits
        units[2].amplitude = 3_000  // m-a, a quarter of a-m
        let samples = try Self.render(Self.ama(pitchHz: 100, vowelMilliseconds: 150), units: units)
        // RMS of 10 ms (one period at 100 Hz) windows over the m: 200-280 ms, the join at its centre, 240 ms.
        let levels = stride(from: 200, to: 280, by: 10).map { start -> Float in
            let slice = samples[(start * 16)..<((start + 10) * 16)]
            return (slice.reduce(0) { $0 + $1 * $1 } / Float(slice.count)).squareRoot()
        }
        let steps = zip(levels, levels.dropFirst()).map { max($0, $1) / max(min($0, $1), 1e-6) }
        #expect(steps.allSatisfy { $0 < 1.6 }, "level steps across the m: \(steps)")
        #expect(levels.first! / levels.last! > 2, "the ends keep their own levels: \(levels)")
    }

    /// A missing diphone is said with the map's stand-in phone: "ana" without a-n and n-a units sounds as "ama".
    @Test func aMissingDiphoneIsSaidWithItsStandIn() throws {
        let units =
            SyntheticDiphones.toyUnits + [
                SyntheticDiphones.Unit(name: "n-pau", periodSamples: 160, marks: 20, boundary: 10)
            ]
        let database = try DiphoneDatabase(data: SyntheticDiphones.file(units), path: Self.path)
        let map = SyntheticDiphones.toyMap + "n n\nsimilar n m\n"
        let voice = try DiphoneVoice(database: database, phoneMap: DiphonePhoneMap(text: map, path: "toy.phones"))
        func render(_ consonant: String) throws -> (samples: [Float], missing: [String]) {
            var segments = Self.ama(pitchHz: 120, vowelMilliseconds: 120)
            segments[2].symbol = consonant
            var renderer = try voice.renderer(for: segments, sampleRateHz: 16_000)
            var samples: [Float] = []
            while let chunk = renderer.next(maxSamples: 400) { samples += chunk }
            return (samples, renderer.missingDiphones)
        }
        let ana = try render("n")
        let ama = try render("m")
        #expect(ana.missing == ["a-n", "n-a"])
        #expect(ama.missing.isEmpty)
        #expect(ana.samples == ama.samples)
        let bad = try DiphonePhoneMap(text: map + "similar a oo\n", path: "toy.phones")
        let error = #expect(throws: SynthesisError.self) { try DiphoneVoice(database: database, phoneMap: bad) }
        #expect(error?.description.hasPrefix("toy.phones:6: similar: phone 'oo'") == true)
    }

    /// Streaming hands out the same samples whatever the chunk size: a sample is only handed out once no later
    /// pitch mark's window can reach it.
    @Test func smallChunksGiveTheSameAudioAsOneBigOne() throws {
        let database = try DiphoneDatabase(data: SyntheticDiphones.file(SyntheticDiphones.toyUnits), path: Self.path)
        let voice = try DiphoneVoice(
            database: database, phoneMap: DiphonePhoneMap(text: SyntheticDiphones.toyMap, path: "toy.phones"))
        let segments = Self.ama(pitchHz: 130, vowelMilliseconds: 140)
        var outputs: [[Float]] = []
        for chunk in [37, 800, 100_000] {
            var renderer = try voice.renderer(for: segments, sampleRateHz: 16_000)
            var samples: [Float] = []
            while let piece = renderer.next(maxSamples: chunk) {
                #expect(piece.count <= chunk)
                samples += piece
            }
            outputs.append(samples)
        }
        #expect(outputs[0] == outputs[2])
        #expect(outputs[1] == outputs[2])
    }
}
