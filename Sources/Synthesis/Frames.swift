import Foundation

/// Synthesizer controls for one 5 ms frame (Klatt's parameter frame, reduced to what this voice uses).
public struct SynthesisFrame: Sendable, Equatable {
    /// Pitch, Hz (0: no voicing).
    public var pitchHz: Float = 0
    /// Voicing amplitude, linear.
    public var voicing: Float = 0
    /// Aspiration noise into the cascade, linear.
    public var aspiration: Float = 0
    /// Frication noise into the parallel branch, linear.
    public var frication: Float = 0
    /// F1-F5, Hz.
    public var formantsHz: (Float, Float, Float, Float, Float) = (500, 1500, 2500, 3300, 3750)
    /// B1-B5, Hz.
    public var bandwidthsHz: (Float, Float, Float, Float, Float) = (80, 100, 150, 250, 200)
    /// Nasal zero, Hz; equal to the nasal pole (270 Hz) they cancel, higher opens the nasal tract.
    public var nasalZeroHz: Float = 270
    /// Parallel amplitudes A2-A6 and the bypass AB, linear.
    public var parallel: (Float, Float, Float, Float, Float, Float) = (0, 0, 0, 0, 0, 0)

    public init() {}

    public static func == (lhs: SynthesisFrame, rhs: SynthesisFrame) -> Bool {
        lhs.pitchHz == rhs.pitchHz && lhs.voicing == rhs.voicing && lhs.frication == rhs.frication
            && lhs.aspiration == rhs.aspiration && lhs.formantsHz == rhs.formantsHz
    }
}

/// Turns timed segments into 5 ms frames, interpolating formants between phoneme targets (coarticulation) and
/// shaping sources for stops (closure, burst, aspiration), affricates and fricatives.
public enum FrameBuilder {
    /// Frame length, milliseconds.
    public static let frameMilliseconds = 5.0
    /// How long voicing takes to rise after a pause, ms.
    static let voicingOnsetMilliseconds = 20.0
    /// How long voicing takes to die away before a pause, ms.
    static let voicingOffsetMilliseconds = 40.0

    static func decibels(_ value: Double) -> Float { value <= 0 ? 0 : Float(pow(10, (value - 60) / 20)) }

    /// Frames for segments, with the voice's formant scale and breathiness applied.
    public static func frames(_ segments: [Segment], voice: Voice, aspirateStops: Bool) -> [SynthesisFrame] {
        let step = frameMilliseconds
        // Formant keypoints: (time ms, F1-F3, B1-B3, nasal zero).
        var keys: [(time: Double, values: [Double])] = []
        var time = 0.0
        var starts: [Double] = []
        for (index, segment) in segments.enumerated() {
            starts.append(time)
            let duration = segment.durationMilliseconds
            defer { time += duration }
            guard var target = segment.target else { continue }
            if target.coarticulation > 0, index + 1 < segments.count, let following = segments[index + 1].target {
                let lean = target.coarticulation
                target.formantsHz = zip(target.formantsHz, following.formantsHz).map { $0 + ($1 - $0) * lean }
            }
            let nasalZero = target.nasal ? 450.0 : 270.0
            let values = target.formantsHz + target.bandwidthsHz + [nasalZero]
            switch target.phonemeClass {
            case .diphthong:
                keys.append((time + duration * 0.2, values))
                keys.append((time + duration * 0.85, target.endFormantsHz! + target.bandwidthsHz + [nasalZero]))
            case .vowel:
                keys.append((time + duration * 0.3, values))
                keys.append((time + duration * 0.7, values))
            default:
                keys.append((time + duration * 0.5, values))
            }
        }
        let totalMilliseconds = time
        let frameCount = Int((totalMilliseconds / step).rounded(.up))
        var frames = [SynthesisFrame](repeating: SynthesisFrame(), count: frameCount)
        let scale = voice.formantScale
        var keyIndex = 0
        var segmentIndex = 0
        let breath = Float(voice.breathiness)
        for frameIndex in 0..<frameCount {
            let now = (Double(frameIndex) + 0.5) * step
            while segmentIndex + 1 < segments.count && starts[segmentIndex + 1] <= now { segmentIndex += 1 }
            while keyIndex + 1 < keys.count && keys[keyIndex + 1].time <= now { keyIndex += 1 }
            var frame = SynthesisFrame()
            // Interpolated formants.
            if !keys.isEmpty {
                let values: [Double]
                if now <= keys[0].time {
                    values = keys[0].values
                } else if keyIndex + 1 >= keys.count {
                    values = keys[keys.count - 1].values
                } else {
                    let (a, b) = (keys[keyIndex], keys[keyIndex + 1])
                    let t = max(0, min(1, (now - a.time) / max(b.time - a.time, 0.001)))
                    let smooth = t * t * (3 - 2 * t)
                    values = zip(a.values, b.values).map { $0 + ($1 - $0) * smooth }
                }
                frame.formantsHz = (
                    Float(values[0] * scale), Float(values[1] * scale), Float(values[2] * scale),
                    Float(3300 * scale), Float(3750 * scale)
                )
                frame.bandwidthsHz = (Float(values[3]), Float(values[4]), Float(values[5]), 250, 200)
                frame.nasalZeroHz = Float(values[6])
            }
            // Sources.
            let segment = segments[segmentIndex]
            let start = starts[segmentIndex]
            let position = now - start
            let remaining = segment.durationMilliseconds - position
            let fraction = position / max(segment.durationMilliseconds, 1)
            frame.pitchHz = Float(segment.startPitchHz + (segment.endPitchHz - segment.startPitchHz) * fraction)
            guard let target = segment.target else {
                frames[frameIndex] = frame
                continue
            }
            let fric = target.fricationDecibels.map(decibels)
            func setParallel(_ gain: Float) {
                frame.parallel = (
                    fric[0] * gain, fric[1] * gain, fric[2] * gain, fric[3] * gain, fric[4] * gain,
                    fric[5] * gain
                )
                frame.frication = 1
            }
            // Unstressed syllables are a little softer than stressed ones.
            let voice: Float = target.phonemeClass.isSyllabic && segment.stress == .none ? 0.7 : 1
            switch target.phonemeClass {
            case .vowel, .diphthong, .approximant, .flap:
                frame.voicing = voice
                frame.aspiration = voice * breath * 0.15
                if target.phonemeClass == .flap, abs(position - segment.durationMilliseconds / 2) < 8 {
                    frame.voicing = voice * 0.4
                }
                if target.phonemeClass == .approximant { frame.voicing = voice * 0.8 }
                // Aspiration after a voiceless stop at the start of a vowel; breathy voice after a murmured one.
                if segmentIndex > 0, let previous = segments[segmentIndex - 1].target,
                    let breath = previous.aspirationMilliseconds
                {
                    if position < breath {
                        frame.voicing = previous.voiced ? voice * 0.5 : 0
                        frame.aspiration = 0.7
                    }
                } else if segmentIndex > 0, let previous = segments[segmentIndex - 1].target,
                    previous.phonemeClass == .stop, !previous.voiced
                {
                    // English aspirates fully before a stressed vowel, briefly before an unstressed one, and hardly
                    // after /s/: a long puff in "speed" is heard as "feed".
                    var aspirated = aspirateStops ? 35.0 : 10.0
                    if aspirateStops, segmentIndex > 1, segments[segmentIndex - 2].symbol == "s" {
                        aspirated = 10
                    } else if aspirateStops, target.phonemeClass.isSyllabic, segment.stress == .none {
                        aspirated = 20
                    }
                    if position < aspirated {
                        frame.voicing = 0
                        frame.aspiration = 0.7
                    }
                }
            case .nasal:
                frame.voicing = voice * 1.0
            case .fricative:
                frame.voicing = target.voiced ? voice * 0.45 : 0
                setParallel(1)
            case .aspirate:
                frame.aspiration = 1
                frame.voicing = 0
            case .stop, .affricate:
                let release =
                    target.phonemeClass == .stop
                    ? min(target.burstMilliseconds, segment.durationMilliseconds * 0.4)
                    : segment.durationMilliseconds * 0.5
                if remaining > release {
                    frame.voicing = target.voiced ? voice * 0.12 : 0  // closure: a voice bar or silence
                    frame.formantsHz.0 = min(frame.formantsHz.0, Float(250 * scale))
                } else {
                    frame.voicing = target.voiced ? voice * 0.35 : 0
                    let decay = target.phonemeClass == .stop ? Float(remaining / release) : 1
                    setParallel(decay * (target.phonemeClass == .stop ? 2 : 1))
                }
            }
            // Voicing fades in after a pause and out before one: a voice that starts or stops at full strength
            // within one frame is heard as a stop or an h.
            if target.phonemeClass.isSonorant {
                var envelope = 1.0
                if segmentIndex > 0, segments[segmentIndex - 1].target == nil {
                    envelope = min(envelope, position / voicingOnsetMilliseconds)
                }
                if segmentIndex + 1 < segments.count, segments[segmentIndex + 1].target == nil {
                    envelope = min(envelope, remaining / voicingOffsetMilliseconds)
                }
                if envelope < 1 {
                    let shaped = Float(envelope * envelope * (3 - 2 * envelope))
                    frame.voicing *= shaped
                    frame.aspiration *= shaped
                }
            }
            frames[frameIndex] = frame
        }
        return frames
    }
}
