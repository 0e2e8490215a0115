#!/usr/bin/perl
# The nimwiz simulator's xCAT client: what mknimimage, rmnimimage, lsdef,
# chdef and lsxcatd are on an xCAT management node, modelled line by line on
# xCAT-client/bin/xcatDBcmds and perl-xCAT/xCAT/Client.pm at tag
# 2.9.2_aix_release (cited below as [cmds] and [client]). What it leaves out:
# SSL, XML::Simple (not a core module: the XML here is the flat subset xcatd
# and this client exchange), XCATBYPASS and the XML trace variables (nimwiz
# never passes them), the storable encoding (never used, [client] L270-273).
#
# "Connecting" to xcatd is a socketpair and a fork: a child leaves the
# session (setsid), forks again and execs the simulated xcatd (the "xcatd"
# link beside this script) with the socket as its fd 0, default signal
# dispositions and its output in the world's var/sim/xcatd.log. So the server
# is not this client's child, is in a session of its own and outlives it,
# as the real xcatd does.
#
# Simulator-only additions, marked "sim:" below: every signal this client
# gets is appended to the world's signal log, and the process registers
# itself for the simulated ps. Neither changes what the client prints, how it
# ends or its exit status. Core modules of Perl 5.8 only.
use strict;
use Cwd;
use File::Basename;
use Socket;
use IO::Handle;
use IO::Select;
use Fcntl;
use POSIX qw(:errno_h);

my $bname = basename($0);
my $simroot = $ENV{'NIMWIZ_SIM_ROOT'};
my $EXITCODE = 0;

# ---- sim: the signal log and the process registry -------------------------

my $siglog = !(defined($ENV{'NIMWIZ_SIM_CLIENT_SIGLOG'}) && $ENV{'NIMWIZ_SIM_CLIENT_SIGLOG'} eq '0');

sub sim_now {
    my $t = eval { require Time::HiRes; Time::HiRes::time() };
    $t = time() unless defined $t;
    my $s = int($t);
    my $frac = sprintf("%.6f", $t - $s);
    $frac =~ s/^0//;
    $frac =~ s/0+$//;
    $frac = '' if $frac eq '.';
    return POSIX::strftime("%Y-%m-%dT%H:%M:%S", gmtime($s)) . $frac . "Z";
}

# One line per signal, as the Go side's recordSignal writes it:
# "time SIGNAME command phase pid". The client's phase is always "client".
sub sim_logsig {
    my $sig = shift;
    return unless $siglog && $simroot;
    if (open(my $fh, '>>', "$simroot/var/sim/signals.log")) {
        syswrite($fh, sim_now() . " SIG$sig $bname client $$\n");
        close($fh);
    }
}

sub json_str {
    my $s = shift;
    $s =~ s/\\/\\\\/g;
    $s =~ s/"/\\"/g;
    $s =~ s/([\x00-\x1f])/sprintf("\\u%04x", ord($1))/ge;
    return "\"$s\"";
}

# /proc/<pid>/stat after the command name: state, ppid, ..., starttime (22nd
# field of the whole line). Linux only; elsewhere the registry relies on
# kill 0 alone.
sub sim_starttime {
    my $pid = shift;
    open(my $fh, '<', "/proc/$pid/stat") or return '';
    my $l = <$fh>;
    close($fh);
    return '' unless defined $l && $l =~ /\)\s+(.*)$/s;
    my @f = split(/\s+/, $1);
    return defined $f[19] ? $f[19] : '';
}

my $regfile;
if ($simroot) {
    my $dir = "$simroot/var/sim/procs";
    mkdir("$simroot/var");
    mkdir("$simroot/var/sim");
    mkdir($dir);
    # The kernel starts a "#!/usr/bin/perl" script as "/usr/bin/perl <script>
    # <args>"; on a master the script is /opt/xcat/bin/<command>.
    my $args = join(' ', '/usr/bin/perl', "/opt/xcat/bin/$bname", @ARGV);
    my $json = '{"pid":' . $$ . ',"ppid":' . getppid() . ',"start":' . json_str(sim_starttime($$)) .
        ',"args":' . json_str($args) . "}\n";
    if (open(my $fh, '>', "$dir/.$$.tmp")) {
        print $fh $json;
        close($fh);
        rename("$dir/.$$.tmp", "$dir/$$") and $regfile = "$dir/$$";
    }
}
my $mypid = $$;
END {
    if ($$ == $mypid) {
        unlink($regfile) if $regfile;
        # sim: perl's main() puts every signal Perl handles back to its
        # default before perl_destruct, which runs END and then flushes
        # STDOUT: a client whose reader is gone dies of SIGPIPE there,
        # unlogged. So flush here with SIGPIPE ignored and, if the reader is
        # gone, log it and die of it as the client without the log would.
        if ($siglog && ref($SIG{PIPE})) {
            local $SIG{PIPE} = 'IGNORE';
            if (!STDOUT->flush() && $! == EPIPE) {
                sim_logsig('PIPE');
                $SIG{PIPE} = 'DEFAULT';
                kill('PIPE', $$);
            }
        }
    }
}

# HUP, QUIT and PIPE end the client with Perl's default action: the real
# client sets no handler for them. To log them, a handler writes the line,
# restores the default and sends the signal again; Perl runs a handler with
# its signal blocked, so the signal ends the process as soon as the handler
# returns, and the wait status is the one a client without the handler would
# have. A disposition inherited as IGNORE stays ignored (Perl shows it as
# 'IGNORE'). INT and TERM get the same treatment until the request is sent:
# the real client traps them only from then on ([client] L285-287).
sub sim_reraise {
    my $sig = shift;
    sim_logsig($sig);
    $SIG{$sig} = 'DEFAULT';
    kill($sig, $$);
}
if ($siglog) {
    foreach my $sig (qw(HUP QUIT PIPE INT TERM)) {
        next if defined($SIG{$sig}) && $SIG{$sig} eq 'IGNORE';
        $SIG{$sig} = \&sim_reraise;
    }
}

# ---- xcatDBcmds ------------------------------------------------------------

my $cmdref;

# set the command name to pass to the plugin ([cmds] L38-50)
$cmdref->{command}->[0] = $bname;
$cmdref->{cwd}->[0] = cwd();

# get info from files piped in as stdin ([cmds] L52-72)
my $data;
if ( (($^O =~ /^linux/i) && ($ENV{'SHELL'} =~ /\/ksh$/))  || !defined($ENV{'TERM'}) )
{
    my $rout;
    my $rin="";
    vec($rin,fileno(STDIN),1)=1;
    my $nfound=select($rout=$rin,"","",1);
    if ($nfound)
    {
        while ( <STDIN> ) { $data.=$_; }
        $cmdref->{stdin}->[0]=$data;
    }
}
else
{
    if (-p STDIN) {
        while ( <STDIN> ) { $data.=$_; }
        $cmdref->{stdin}->[0]=$data;
    }
}

# a noderange file given as ^file becomes an absolute path ([cmds] L73-93)
my @tmpargv = ();
my @tmpv = @ARGV;
foreach my $a (@tmpv)
{
    if (!($a =~ /=/) && !($a =~ /^-/)) {
        my @tempnr = ();
        foreach my $nr (split(/,/, $a)) {
            if ($nr =~ /^\^(.*)$/) {
                my $nrf = $1;
                if ($nrf !~ /^\//) { #relative path
                   $nrf = Cwd::abs_path($nrf);
                }
                $nrf = "\^" . $nrf;
                push @tempnr, $nrf;
            } else {
                push @tempnr, $nr;
            }
        }
        $a = join(',',@tempnr);
    }
    push @tmpargv, $a;
}
@ARGV = @tmpargv;

# add all the cmd line args to the hash ([cmds] L96-100)
foreach my $a (@ARGV)
{
    push(@{$cmdref->{arg}}, $a);
}

submit_request($cmdref, \&handle_response);
exit $EXITCODE;

# ---- Client.pm ---------------------------------------------------------------

sub xml_escape {
    my $s = shift;
    $s =~ s/&/&amp;/g;
    $s =~ s/</&lt;/g;
    $s =~ s/>/&gt;/g;
    $s =~ s/"/&quot;/g;
    return $s;
}

sub xml_unescape {
    my $s = shift;
    $s =~ s/&lt;/</g;
    $s =~ s/&gt;/>/g;
    $s =~ s/&quot;/"/g;
    $s =~ s/&apos;/'/g;
    $s =~ s/&#(\d+);/chr($1)/ge;
    $s =~ s/&#x([0-9a-fA-F]+);/chr(hex($1))/ge;
    $s =~ s/&amp;/&/g;
    return $s;
}

# [client] send_request L82-98: the request as XML (XMLout with NoAttr and
# RootName xcatrequest), then flush.
sub send_request {
    my $request = shift;
    my $sock = shift;
    my $msg = "<xcatrequest>\n";
    foreach my $k (sort keys %$request) {
        foreach my $v (@{$request->{$k}}) {
            $msg .= "  <$k>" . (defined($v) ? xml_escape($v) : '') . "</$k>\n";
        }
    }
    $msg .= "</xcatrequest>\n";
    print $sock $msg;
    $sock->flush();
}

# [client] rspclean L58-81: hand each <xcatresponse> to the callback; stop
# after the one that says serverdone.
sub rspclean {
    my $response = shift;
    my $callback = shift;
    while ($response =~ m{<xcatresponse>(.*?)</xcatresponse>}gs) {
        my $body = $1;
        my $rsp = {};
        while ($body =~ m{<(\w+)>(.*?)</\1>|<(\w+)\s*/>}gs) {
            if (defined $3) {
                push @{$rsp->{$3}}, undef;
            } else {
                # XML::Simple drops text that is only whitespace (its
                # collapse: "next if($val =~ m{^\s*$}s)"): such an element
                # arrives empty and prints as an empty line.
                my $v = xml_unescape($2);
                push @{$rsp->{$1}}, ($v =~ m{^\s*$}s ? undef : $v);
            }
        }
        $callback->($rsp);
        if ($rsp->{serverdone}) {
            return 1;
        }
    }
    return 0;
}

# sim: how the simulated xcatd is reached. The real client opens
# localhost:3001 with a 15 s connect timeout ([client] L198-238).
sub sim_connect {
    my ($client, $server);
    unless (socketpair($client, $server, AF_UNIX, SOCK_STREAM, PF_UNSPEC)) {
        print "Unable to open socket connection to xcatd daemon on localhost:3001.\n";
        print "Verify that the xcatd daemon is running and that your SSL setup is correct.\n";
        die "Connection failure: $!";
    }
    my $xcatd = dirname($0) . "/xcatd";
    my $clientpid = $$;
    my $pid = fork();
    unless (defined $pid) {
        print "Unable to open socket connection to xcatd daemon on localhost:3001.\n";
        print "Verify that the xcatd daemon is running and that your SSL setup is correct.\n";
        die "Connection failure: $!";
    }
    if ($pid == 0) {
        close($client);
        POSIX::setsid();
        my $pid2 = fork();
        POSIX::_exit(defined($pid2) ? 0 : 1) if !defined($pid2) || $pid2;
        # The server: default dispositions (an ignored SIGPIPE of the client
        # must not reach xcatd), the socket as fd 0, output to the log, no
        # other descriptor of the client (its stdout pipe above all: the
        # client's reader must see EOF when the client ends).
        foreach my $sig (qw(INT TERM HUP QUIT PIPE CHLD ALRM USR1 USR2 TSTP TTIN TTOU)) {
            $SIG{$sig} = 'DEFAULT';
        }
        POSIX::dup2(fileno($server), 0);
        my $log = $simroot ? "$simroot/var/sim/xcatd.log" : '/dev/null';
        open(STDOUT, '>>', $log) or open(STDOUT, '>', '/dev/null');
        open(STDERR, '>&STDOUT');
        my @fds;
        if (opendir(my $dh, "/proc/$$/fd")) {
            @fds = grep { /^\d+$/ && $_ > 2 } readdir($dh);
            closedir($dh);
        } else {
            @fds = (3 .. 255);
        }
        foreach my $fd (@fds) {
            POSIX::close($fd);
        }
        $ENV{'NIMWIZ_SIM_CLIENT_PID'} = $clientpid;
        exec { $xcatd } $xcatd;
        print STDERR "$bname: cannot run $xcatd: $!\n";
        POSIX::_exit(127);
    }
    waitpid($pid, 0);
    close($server);
    return $client;
}

# [client] submit_request L133-370.
sub submit_request {
    my $request = shift;
    my $callback = shift;
    $EXITCODE = 0;    # clear out exit code before invoking the plugin
    $request->{clienttype}->[0] = "cli";   # setup clienttype for auditlog

    my $client = sim_connect();
    my $encode = "xml";
    send_request($request, $client);

    # when receive TERM or INT (ctrl^c) from user, sleep 2s before exit to make
    # sure the server (xcatd) has recevied 'abortcommand' command ([client] L285-287)
    my $pause = 2;
    if (defined($ENV{'NIMWIZ_SIM_ABORT_SECONDS'}) && $ENV{'NIMWIZ_SIM_ABORT_SECONDS'} =~ /^\d*\.?\d+$/) {
        $pause = $ENV{'NIMWIZ_SIM_ABORT_SECONDS'} + 0;
    }
    $SIG{TERM} = $SIG{INT} = sub {
        sim_logsig($_[0]);
        send_request({abortcommand=>[1]}, $client);
        select(undef, undef, undef, $pause);
        exit 0;
    };

    # How often the client hands what it read to handle_response ([client]
    # L293, L304-307: when time() > $nextcoalescetime, i.e. every 1 to 2 s;
    # at once when serverdone was read). sim: NIMWIZ_SIM_RELAY_SECONDS sets
    # the period in seconds (0: every read at once); unset, it is the real one.
    my $now = sub { time() };
    my $period = 1;
    my $relay = $ENV{'NIMWIZ_SIM_RELAY_SECONDS'};
    if (defined($relay) && $relay =~ /^\d*\.?\d+$/) {
        require Time::HiRes;
        $now = \&Time::HiRes::time;
        $period = $relay + 0;
    }

    my $response;
    my $cleanexit=0;
    my $massresponse="<massresponse>";
    my $nextcoalescetime=$now->()+$period;
    my $coalescenow=0;
    my $flags=fcntl($client,F_GETFL,0);
    $flags |= O_NONBLOCK; #select can be a bit.. fickle, make sysread work more easily...
    fcntl($client,F_SETFL,$flags);
    my $clientsel = new IO::Select;
    $clientsel->add($client);
    my $line;
    my $newdata=0;
    while (1) {
        my $shouldexit;
        if ($newdata and ($coalescenow or $period == 0 or $now->() > $nextcoalescetime)) {
            $coalescenow=0;
            $newdata=0;
            $nextcoalescetime=$now->()+$period;
            $massresponse .= "</massresponse>";
            $shouldexit = rspclean($massresponse,$callback);
            $massresponse="<massresponse>";
        }

        if ($shouldexit) {
            $cleanexit=1;
            last;
        }
        $line = "";
        $clientsel->can_read(0.5);
        my $readbytes;
        do { $readbytes=sysread($client,$line,65535,length($line)); } while ($readbytes);
        unless (length($line)) {
            if (not defined $readbytes and $! == EAGAIN) { next; }
            last;
        }
        $newdata=1;
        $response .= $line;
        if ($line =~ m/<\/xcatresponse>\s*\z/) {
            if ($line =~ /serverdone/) { $coalescenow=1; } #if serverdone was detected, hint at coalesce code to flush things out now
            $massresponse.=$response;
            $response='';
        }
    }
    if (not $cleanexit and $massresponse ne "<massresponse>") {
        $massresponse .= "</massresponse>";
        $cleanexit = rspclean($massresponse,$callback);
    }
    $massresponse="";
    unless ($cleanexit) {
        print STDERR "ERROR/WARNING: communication with the xCAT server seems to have been ended prematurely\n";
        $EXITCODE = 1;
    }
}

# [client] handle_response L1077-1256 (the node structure, which no command
# here uses, left out). Errors and warnings go to STDERR, which Perl does not
# buffer; info and data to STDOUT, which nothing here makes unbuffered: on a
# pipe or a file it is written in 8 KiB blocks, on a terminal by lines.
sub handle_response {
    my $rsp = shift;
    # Handle errors
    if (defined($rsp->{errorcode})) {
        if (ref($rsp->{errorcode}) eq 'ARRAY') {
            foreach my $ecode (@{$rsp->{errorcode}}) {
                $EXITCODE |= $ecode;
            }
        }
        else {
            $EXITCODE |= $rsp->{errorcode};
        }    # assume it is a non-reference scalar
    }
    if ($rsp->{error}) {
        foreach my $text (@{$rsp->{error}}) {
            if ($rsp->{NoErrorPrefix}) {
                print STDERR "$text\n";
            } else {
                print STDERR "Error: $text\n";
            }
        }
    }
    if ($rsp->{warning}) {
        foreach my $text (@{$rsp->{warning}}) {
            if ($rsp->{NoWarnPrefix}) {
                print STDERR "$text\n";
            } else {
                print STDERR "Warning: $text\n";
            }
        }
    }
    if ($rsp->{info}) {
        foreach my $text (@{$rsp->{info}}) {
            print "$text\n";
        }
    }
    if ($rsp->{sinfo}) {
        foreach my $text (@{$rsp->{sinfo}}) {
            print "$text\r"; $|++;
        }
    }
    # Handle {data} structure with no nodes
    if ($rsp->{data}) {
        foreach my $desc (@{$rsp->{data}}) {
            if ($desc) { print "$desc\n"; }
        }
    }
}
