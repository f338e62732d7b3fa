package io.github.hivemesh.demo;

/** One thing a reviewer noticed. */
record Finding(String file, int line, String kind, String reviewer) {

    @Override
    public String toString() {
        return file + ":" + line + " " + kind + " (" + reviewer + ")";
    }
}
