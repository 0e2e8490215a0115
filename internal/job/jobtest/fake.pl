#!/usr/bin/perl
# A fake mknimimage for nimwiz's tests of processes that run it. Like the
# real xCAT client (perl-xCAT/xCAT/Client.pm, xcatDBcmds at
# 2.9.2_aix_release) it is Perl: info goes to STDOUT with a plain print (so
# Perl buffers it: 8 KiB blocks on a pipe, unless PERL5OPT loads nimwiz's
# live module), errors and warnings to STDERR; INT and TERM make it pause
# and exit 0 (the client's abort, Client.pm L285-287); HUP and QUIT kill it.
# It prints the messages of a fresh diskless run (with -V, the "Running
# command on" lines too), can stop at the lpp_source and SPOT holds until the
# test lets it go (while a child process titled like NIM's define command
# runs, as the real plugin's nim does), and records every signal it gets.
use strict;
use warnings;
use POSIX ();

my $dir = $ENV{FAKE_MKNIM_DIR};
if (!$dir && open(my $cf, '<', "$ENV{HOME}/.fake-mknimimage")) {
    while (my $l = <$cf>) {
        chomp $l;
        my ($k, $v) = split(/=/, $l, 2);
        $ENV{$k} = $v if defined $v && $k ne '';
    }
    close $cf;
    $dir = $ENV{FAKE_MKNIM_DIR};
}
if (!$dir) {
    print STDERR "Error: fake mknimimage: FAKE_MKNIM_DIR not set\n";
    exit 1;
}

# Invoked as lsdef or lsnim, the script answers what the job supervisor asks
# after a run (is the osimage defined, is its SPOT ready for use) from what
# the fake mknimimage left in the control directory.
my $me = $0;
$me =~ s{.*/}{};
if ($me eq 'lsdef') {
    my $name = '';
    for (my $i = 0; $i < $#ARGV; $i++) { $name = $ARGV[$i + 1] if $ARGV[$i] eq '-o'; }
    if (-e "$dir/defined-$name") {
        print "Object name: $name\n    imagetype=NIM\n    lpp_source=${name}_lpp_source\n    nimtype=diskless\n    osname=AIX\n    spot=$name\n";
        exit 0;
    }
    print STDERR "Error: Could not find an object named '$name' of type 'osimage'.\n";
    exit 1;
}
if ($me eq 'lsnim') {
    my $rc = 0;
    for my $n (grep { !/^-/ } @ARGV) {
        if (open(my $f, '<', "$dir/defined-$n")) {
            my $state = <$f>;
            close $f;
            chomp $state;
            print "$n:\n   class         = resources\n   type          = spot\n   Rstate        = $state\n   location      = /install/nim/spot/$n/usr\n   alloc_count   = 0\n   server        = master\n";
        } else {
            print STDERR "0042-053 lsnim: there is no NIM object named \"$n\"\n";
            $rc = 1;
        }
    }
    exit $rc;
}

sub record {
    my ($what) = @_;
    if (open(my $f, '>>', "$dir/signals")) { print $f "$what\n"; close $f; }
}
sub pause { select(undef, undef, undef, $_[0]); }

my $abort = defined $ENV{FAKE_MKNIM_ABORT} ? $ENV{FAKE_MKNIM_ABORT} : 0.05;
$SIG{INT} = sub {
    record("interrupt");
    return if ($ENV{FAKE_MKNIM_NOINT} || '') eq '1';
    pause($abort);
    exit 0;
};
$SIG{TERM} = sub { record("terminated"); pause($abort); exit 0; };
my %sigword = (HUP => 'hangup', QUIT => 'quit');
for my $s (keys %sigword) {
    next if defined $SIG{$s} && $SIG{$s} eq 'IGNORE';
    $SIG{$s} = sub { record($sigword{$s}); $SIG{$s} = 'DEFAULT'; kill $s, $$; };
}

if (open(my $p, '>', "$dir/pid")) { print $p $$; close $p; }

my ($name, $verbose, $src) = ('', 0, '');
for (my $i = 0; $i < @ARGV; $i++) {
    my $a = $ARGV[$i];
    if ($a eq '-t' || $a eq '-l' || $a eq '-i') { $i++; }
    elsif ($a eq '-s') { $src = $ARGV[++$i]; }
    elsif ($a eq '-V') { $verbose = 1; }
    elsif ($a =~ /^-/ || $a =~ /=/) { }
    else { $name = $a; }
}
my %hold;
for my $h (split(/,/, $ENV{FAKE_MKNIM_HOLD} || '')) { $h =~ s/^\s+|\s+$//g; $hold{$h} = 1; }
my $noise = $ENV{FAKE_MKNIM_NOISE} || 0;

sub vrun { print "Running command on mn01: $_[0] 2>&1\n\n" if $verbose; }

# The NIM work behind the holds: a helper process, titled like NIM's define
# command while the fake holds, as ps shows the nim a real plugin waits for.
# It is started before anything is printed (Perl flushes STDOUT when it
# forks, which the real client never does) and in its own process group
# (the real nim is xcatd's child, not the client's): an interrupt to the
# client's group does not reach it, and it goes on when the client dies.
my %title = (
    lpp  => "/usr/sbin/nim -Fo define -t lpp_source -a server=master -a location=/install/nim/lpp_source/${name}_lpp_source -a source=$src ${name}_lpp_source",
    spot => "/usr/sbin/nim -Fo define -t spot -a server=master -a source=${name}_lpp_source -a location=/install/nim/spot $name",
);
if (%hold) {
    my $kid = fork();
    if (defined $kid && $kid == 0) {
        setpgrp(0, 0);
        # Not the client's output: xcatd's nim never holds the client's pipe.
        open(STDOUT, '>', '/dev/null');
        open(STDERR, '>', '/dev/null');
        $SIG{$_} = 'DEFAULT' for qw(INT TERM HUP QUIT);
        for my $point (qw(lpp spot)) {
            next unless $hold{$point};
            until (-e "$dir/hold-$point" || -e "$dir/go-$point") { pause(0.005); }
            $0 = $title{$point};
            if (open(my $f, '>', "$dir/titled-$point")) { close $f; }
            until (-e "$dir/go-$point") { pause(0.005); }
            $0 = "fake-nim-idle";
        }
        POSIX::_exit(0);
    }
}

# hold waits at a hold point until the test lets it go.
sub hold {
    my ($point) = @_;
    return unless $hold{$point};
    if (open(my $f, '>', "$dir/hold-$point")) { close $f; }
    until (-e "$dir/titled-$point" || -e "$dir/go-$point") { pause(0.005); }
    if (open(my $f, '>', "$dir/at-$point")) { close $f; }
    until (-e "$dir/go-$point") { pause(0.005); }
}

vrun("/usr/sbin/lsnim -l >/dev/null");
print "Creating a NIM lpp_source resource called '${name}_lpp_source'.  This could take a while.\n\n";
vrun("/usr/sbin/nim -Fo define -t lpp_source -a server=master -a location=/install/nim/lpp_source/${name}_lpp_source -a source=$src ${name}_lpp_source");
hold('lpp');
print STDERR "Warning: Could not find openssh file sets in source location.\n";
for my $i (0 .. $noise - 1) {
    my $line = sprintf("noise %d\tcolumn\r progress %d%%\n", $i, $i % 100);
    if ($i % 7 == 3) { print STDERR $line; } else { print $line; }
}
vrun("/usr/bin/mkdir -p /install/nim/spot");
print "Creating a NIM SPOT resource. This could take a while.\n\n";
vrun("/usr/sbin/nim -Fo define -t spot -a server=master -a source=${name}_lpp_source -a location=/install/nim/spot  $name ");
hold('spot');
print "Updating the NIM spot resource named '$name'. This could take a while.\n\n";
print "The following xCAT osimage definition was created. Use the xCAT lsdef command \n"
    . "to view the xCAT definition and the AIX lsnim command to view the individual \n"
    . "NIM resources that are included in this definition.\n\n"
    . "Object name: $name\n"
    . "\timagetype=NIM\n\tlpp_source=${name}_lpp_source\n\tnimtype=diskless\n\tosname=AIX\n"
    . "\tpaging=${name}_paging\n\tshared_root=${name}_shared_root\n\tspot=$name\n\n";
# What NIM and xCAT now have, for lsdef and lsnim above.
unless ($ENV{FAKE_MKNIM_NODEF}) {
    if (open(my $f, '>', "$dir/defined-$name")) {
        print $f ($ENV{FAKE_MKNIM_SPOT_STATE} || 'ready for use'), "\n";
        close $f;
    }
}
exit($ENV{FAKE_MKNIM_EXIT} || 0);
