import Testing

@testable import Tutor

@Suite struct TextNormalizerTests {
    @Test func lowerCasesAndSplitsOnPunctuation() {
        #expect(TextNormalizer.words("Why is the SKY blue?!", language: "en") == ["why", "is", "the", "sky", "blue"])
    }

    @Test func keepsApostrophesInsideWordsTogether() {
        #expect(TextNormalizer.words("don't it's", language: "en") == ["dont", "its"])
    }

    @Test func dropsThousandsSeparatorsBetweenDigits() {
        #expect(TextNormalizer.words("about 300,000 km, fast", language: "en") == ["about", "300000", "km", "fast"])
    }

    @Test func foldsMarksThatQuestionsOftenLackButKeepsLettersAndDevanagariVowelSigns() {
        #expect(TextNormalizer.words("café", language: "en") == ["cafe"])
        #expect(TextNormalizer.words("ìmọ́lẹ̀ òòrùn", language: "yo") == ["imole", "oorun"])
        #expect(TextNormalizer.words("ƙarfī ɗaukā", language: "ha") == ["ƙarfi", "ɗauka"])
        #expect(TextNormalizer.words("رَوشنی کِرن", language: "ur") == TextNormalizer.words("روشنی کرن", language: "ur"))
        #expect(TextNormalizer.words("प्रकाश की किरण", language: "hi") == ["प्रकाश", "की", "किरण"])
        #expect(TextNormalizer.words("प्रकाश", language: "hi") != TextNormalizer.words("परकश", language: "hi"))
    }
}

@Suite struct StemmerTests {
    @Test func englishPluralsAndVerbFormsShareAStem() {
        #expect(Stemmer.english("scatters") == Stemmer.english("scattering"))
        #expect(Stemmer.english("batteries") == Stemmer.english("battery"))
        #expect(Stemmer.english("moves") == Stemmer.english("moving"))
        #expect(Stemmer.english("running") == "run")
        #expect(Stemmer.english("falling") == "fall")
    }

    @Test func englishShortWordsAndWordsEndingInSsStayWhole() {
        #expect(Stemmer.english("gas") == "gas")
        #expect(Stemmer.english("glass") == "glass")
        #expect(Stemmer.english("sun") == "sun")
    }

    @Test func swahiliVerbPrefixesAndFinalVowelsAreStripped() {
        #expect(Stemmer.swahili("hutawanya") == "tawany")
        #expect(Stemmer.swahili("inaonekana") == Stemmer.swahili("imeonekana"))
        #expect(Stemmer.swahili("inatetemeka") == Stemmer.swahili("tetemeka"))
    }

    @Test func swahiliPluralNounClassesBecomeSingular() {
        #expect(Stemmer.swahili("vitu") == Stemmer.swahili("kitu"))
        #expect(Stemmer.swahili("miti") == Stemmer.swahili("mti"))
    }

    @Test func swahiliShortWordsKeepTheirPrefixesSoLightAndSkyStayApart() {
        #expect(Stemmer.swahili("hewa") == "hewa")
        #expect(Stemmer.swahili("mwanga") != Stemmer.swahili("anga"))
    }
}

@Suite struct FuzzyMatchTests {
    @Test func misheardPhysicsWordsAreCloseToTheRealOnes() {
        #expect(FuzzyMatch.similarity("magnate", "magnet") >= 0.72)
        #expect(FuzzyMatch.similarity("gravytea", "gravity") >= 0.8)
        #expect(FuzzyMatch.similarity("fiction", "friction") >= 0.8)
    }

    @Test func unrelatedWordsAreFar() {
        #expect(FuzzyMatch.similarity("president", "pressure") < 0.72)
        #expect(FuzzyMatch.similarity("nyotaninini", "nyingine") < 0.8)
    }
}
