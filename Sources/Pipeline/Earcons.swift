import Foundation
import TutorCore

/// The kiosk's short sounds, synthesized: they tell a child who cannot read what the box is doing.
public enum Earcons {
    /// Two rising notes (660 then 880 Hz, 90 ms each): "I am listening".
    public static func listening(sampleRateHz: Int) -> MonoAudio {
        tones([(660, 0.09), (880, 0.09)], amplitude: 0.3, sampleRateHz: sampleRateHz)
    }

    /// One soft low note (440 Hz, 70 ms): "I heard you, I am thinking".
    public static func thinking(sampleRateHz: Int) -> MonoAudio {
        tones([(440, 0.07)], amplitude: 0.15, sampleRateHz: sampleRateHz)
    }

    /// Sine notes one after another, each faded in and out over 10 ms so they do not click.
    static func tones(_ notes: [(hz: Double, seconds: Double)], amplitude: Float, sampleRateHz: Int) -> MonoAudio {
        var samples: [Float] = []
        let fade = Double(sampleRateHz) * 0.01
        for note in notes {
            let count = Int(note.seconds * Double(sampleRateHz))
            for index in 0..<count {
                let edge = min(Double(index), Double(count - 1 - index))
                let envelope = Float(min(1, edge / fade))
                let phase = 2 * Double.pi * note.hz * Double(index) / Double(sampleRateHz)
                samples.append(amplitude * envelope * Float(sin(phase)))
            }
        }
        return MonoAudio(samples: samples, sampleRateHz: sampleRateHz)
    }
}

/// What the kiosk says between answers, per language.
public enum KioskPrompts {
    /// The invitation said at start-up.
    public static func askMe(_ language: String) -> String {
        switch language {
        case "sw": "Habari! Niulize swali kuhusu fizikia."
        default: "Hello! Ask me a question about physics."
        }
    }
}
