package memlimit

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckRefusesMoreThanTheLimit(t *testing.T) {
	t.Setenv(EnvVar, "1G")
	avail, source, err := Available()
	if err != nil || avail > 1<<30 || source == "" {
		t.Fatalf("Available = %v (%s), %v; want <= 1 GiB from %s", avail, source, err, EnvVar)
	}
	if err := Check("a small job", 1<<20); err != nil {
		t.Fatalf("1 MiB refused: %v", err)
	}
	if err := Check("a job of 0.6 GiB", 0.6*(1<<30)); err == nil {
		t.Fatalf("0.6 GiB accepted with a 1 GiB limit: only half of it may be used")
	}
	err = Check("training a 40000-unit network", 25.6e9)
	if err == nil || !strings.Contains(err.Error(), "needs 25.6 GB") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("25.6 GB: got %v, want a one-line refusal saying how much", err)
	}
	for _, bad := range []float64{-1, nan()} {
		if Check("x", bad) == nil {
			t.Errorf("need %v accepted", bad)
		}
	}
}

func TestBadLimitIsAnError(t *testing.T) {
	t.Setenv(EnvVar, "lots")
	if err := Check("a small job", 1); err == nil || !strings.Contains(err.Error(), EnvVar) {
		t.Fatalf("RNNLAB_MEMORY_LIMIT=lots: %v, want an error naming it", err)
	}
}

func TestParseSize(t *testing.T) {
	for s, want := range map[string]float64{"512": 512, "8G": 8 << 30, "1.5GB": 1.5 * (1 << 30), "64MiB": 64 << 20, "2k": 2048} {
		if got, err := ParseSize(s); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"", "G", "-1G", "nan", "inf", "1e400"} {
		if _, err := ParseSize(s); err == nil {
			t.Errorf("ParseSize(%q) accepted", s)
		}
	}
}

func TestFormat(t *testing.T) {
	for b, want := range map[float64]string{512: "512 B", 3.1e9: "3.1 GB", 1e21: "1e+03 EB"} {
		if got := Format(b); got != want {
			t.Errorf("Format(%v) = %q, want %q", b, got, want)
		}
	}
}

func nan() float64 { var z float64; return z / z }

func TestCgroupDirs(t *testing.T) {
	v2 := cgroupDirs("0::/system.slice/slurmstepd.scope/job_42\n")
	if len(v2) != 2 || v2[0] != "/sys/fs/cgroup/system.slice/slurmstepd.scope/job_42" || v2[1] != "/sys/fs/cgroup" {
		t.Errorf("v2: %v", v2)
	}
	v1 := cgroupDirs("5:cpuacct,cpu:/\n4:memory:/slurm/uid_0/job_7\n0::/\n")
	if len(v1) != 4 || v1[0] != "/sys/fs/cgroup/memory/slurm/uid_0/job_7" || v1[1] != "/sys/fs/cgroup/memory" {
		t.Errorf("v1: %v", v1)
	}
}

func TestReadBytes(t *testing.T) {
	dir := t.TempDir()
	for text, want := range map[string]float64{"2147483648\n": 2 << 30, "max\n": -1, "9223372036854771712\n": -1, "junk": -1} {
		path := filepath.Join(dir, "f")
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		got, ok := readBytes(path)
		if (want < 0) == ok || (ok && got != want) {
			t.Errorf("readBytes(%q) = %v, %v; want %v", text, got, ok, want)
		}
	}
}
