"""Name pools shared by the domain libraries (people, places)."""

PERSON_NAMES: tuple[str, ...] = (
    "Amara Okafor", "Bruno Lindqvist", "Chen Wei", "Dalia Haddad", "Emeka Nwosu",
    "Farah Siddiqui", "Gustav Brandt", "Hana Kobayashi", "Ines Carvalho", "Jonas Weber",
    "Kavya Raman", "Lucia Ferraro", "Mateo Alvarez", "Nadia Petrova", "Oskar Nyberg",
    "Priya Natarajan", "Quentin Moreau", "Rania Aziz", "Sofia Marquez", "Tomas Novak",
    "Uma Krishnan", "Viktor Horvath", "Wen Liu", "Ximena Torres", "Yusuf Demir",
    "Zofia Kowalska", "Aiden Murphy", "Beatriz Souza", "Camille Laurent", "Dmitri Volkov",
    "Elena Rossi", "Felix Baumann", "Grace Mensah", "Hugo Lefebvre", "Ingrid Solberg",
    "Jae-won Park", "Keiko Tanaka", "Leila Farahani", "Marek Dvorak", "Nina Johansson",
)
