// The Clang-free half of --api mpi on hand-built rank traces: the matching simulator's verdicts,
// a randomized comparison with a naive model, and the rank count read from a launch line.
#include "mpi_simulator.hpp"
#include "rank_count.hpp"
#include "seed.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <random>

namespace mpi = gridlock::analyzer::mpi;

namespace {

mpi::event op(mpi::ev_kind k, int peer, int tag = 0, const char *call = nullptr) {
  mpi::event e;
  e.kind = k;
  e.peer = peer;
  e.tag = tag;
  e.call = call ? call : k == mpi::ev_kind::send ? "MPI_Send" : "MPI_Recv";
  return e;
}
mpi::event send(int to, int tag = 0) { return op(mpi::ev_kind::send, to, tag); }
mpi::event ssend(int to, int tag = 0) {
  mpi::event e = op(mpi::ev_kind::send, to, tag, "MPI_Ssend");
  e.mode = mpi::send_mode::sync;
  return e;
}
mpi::event recv(int from, int tag = 0) { return op(mpi::ev_kind::recv, from, tag); }
mpi::event barrier() {
  mpi::event e = op(mpi::ev_kind::collective, mpi::kUnknown, 0, "MPI_Barrier");
  e.comm = mpi::kWorld;
  return e;
}

mpi::program program_of(std::vector<std::vector<mpi::event>> ranks) {
  mpi::program p;
  p.np = static_cast<int>(ranks.size());
  for (auto &r : ranks) p.ranks.push_back({std::move(r), true});
  return p;
}

std::vector<mpi::issue_kind> kinds(const std::vector<mpi::issue> &issues) {
  std::vector<mpi::issue_kind> out;
  for (const auto &i : issues) out.push_back(i.kind);
  return out;
}

using K = mpi::issue_kind;

} // namespace

TEST(MpiSimulator, ReceivesFirstOnBothRanksDeadlockWhateverTheBuffering) {
  const auto issues = mpi::find_issues(program_of({{recv(1), send(1)}, {recv(0), send(0)}}));
  EXPECT_EQ(kinds(issues), std::vector<K>{K::deadlock});
  EXPECT_TRUE(issues.front().uncertain.empty());
}

TEST(MpiSimulator, StandardSendsFirstAreABufferingHazard) {
  EXPECT_EQ(kinds(mpi::find_issues(program_of({{send(1), recv(1)}, {send(0), recv(0)}}))),
            std::vector<K>{K::buffering});
}

TEST(MpiSimulator, SynchronousSendsFirstDeadlock) {
  EXPECT_EQ(kinds(mpi::find_issues(program_of({{ssend(1), recv(1)}, {ssend(0), recv(0)}}))),
            std::vector<K>{K::deadlock});
}

TEST(MpiSimulator, OneSideReceivingFirstIsClean) {
  EXPECT_TRUE(mpi::find_issues(program_of({{ssend(1), recv(1)}, {recv(0), ssend(0)}})).empty());
}

TEST(MpiSimulator, MessagesFromOneSourceDoNotOvertakeButTagsSelect) {
  // Rank 1 takes tag 2 first although tag 1 was sent first: fine while rank 0 is not blocked.
  mpi::event a = send(1, 1), b = send(1, 2);
  a.blocking = b.blocking = false;
  EXPECT_TRUE(mpi::find_issues(program_of({{a, b}, {recv(0, 2), recv(0, 1)}})).empty());
  EXPECT_EQ(
      kinds(mpi::find_issues(program_of({{ssend(1, 1), ssend(1, 2)}, {recv(0, 2), recv(0, 1)}}))),
      std::vector<K>{K::deadlock});
}

TEST(MpiSimulator, ABarrierAgainstAReceiveIsACollectiveMismatch) {
  EXPECT_EQ(kinds(mpi::find_issues(program_of({{recv(1), barrier()}, {barrier(), send(0)}}))),
            std::vector<K>{K::collective_mismatch});
}

TEST(MpiSimulator, AReceiveNobodySendsIsUnmatchedAndAMessageNobodyReceivesToo) {
  EXPECT_EQ(kinds(mpi::find_issues(program_of({{recv(1)}, {}}))), std::vector<K>{K::unmatched});
  const auto issues = mpi::find_issues(program_of({{send(1)}, {}}));
  ASSERT_EQ(kinds(issues), std::vector<K>{K::unmatched});
  EXPECT_TRUE(issues.front().never_received);
}

TEST(MpiSimulator, AWildcardReceiveThatSeveralRanksCanMatchMakesVerdictsPossible) {
  const auto issues = mpi::find_issues(
      program_of({{recv(mpi::kAny), recv(mpi::kAny), recv(1, 5)}, {send(0)}, {send(0)}}));
  ASSERT_EQ(kinds(issues), std::vector<K>{K::unmatched});
  EXPECT_NE(issues.front().uncertain.find("can match several senders"), std::string::npos);
}

TEST(MpiSimulator, AnAbortEndsEveryRank) {
  mpi::event abort = op(mpi::ev_kind::abort, mpi::kUnknown, 0, "MPI_Abort");
  EXPECT_TRUE(mpi::find_issues(program_of({{abort}, {recv(0)}})).empty());
}

// --- randomized: the simulator against a naive model -----------------------------------------

namespace {

// Naive model of blocking MPI_Ssend / MPI_Recv with known partners and tags: repeatedly let any
// two ranks whose current calls match complete them together. Stuck iff some rank never ends.
bool naive_stuck(const mpi::program &p) {
  std::vector<std::size_t> pc(p.np, 0);
  for (bool moved = true; moved;) {
    moved = false;
    for (int a = 0; a < p.np; ++a)
      for (int b = 0; b < p.np; ++b) {
        if (pc[a] == p.ranks[a].events.size() || pc[b] == p.ranks[b].events.size()) continue;
        const mpi::event &s = p.ranks[a].events[pc[a]], &r = p.ranks[b].events[pc[b]];
        if (s.kind == mpi::ev_kind::send && r.kind == mpi::ev_kind::recv && s.peer == b &&
            r.peer == a && s.tag == r.tag && a != b) {
          ++pc[a];
          ++pc[b];
          moved = true;
        }
      }
  }
  for (int r = 0; r < p.np; ++r)
    if (pc[r] != p.ranks[r].events.size()) return true;
  return false;
}

} // namespace

TEST(MpiSimulator, AgreesWithANaiveModelOnRandomSynchronousPrograms) {
  const std::uint64_t s = gridlock::testing::test_seed();
  std::mt19937_64 rng(s);
  int stuck = 0;
  for (int round = 0; round < 3000; ++round) {
    const int np = 2 + int(rng() % 3);
    std::vector<std::vector<mpi::event>> ranks(np);
    // A global sequence of messages, each sent and received in that order (never stuck), then
    // sometimes two neighbouring calls of one rank swapped (often stuck).
    for (int k = int(rng() % 6); k > 0; --k) {
      const int from = int(rng() % np), to = (from + 1 + int(rng() % (np - 1))) % np;
      const int tag = int(rng() % 2);
      ranks[from].push_back(ssend(to, tag));
      ranks[to].push_back(recv(from, tag));
    }
    auto &r = ranks[rng() % np];
    if (rng() % 2 && r.size() >= 2) {
      const std::size_t at = rng() % (r.size() - 1);
      std::swap(r[at], r[at + 1]);
    }
    const mpi::program p = program_of(ranks);
    const bool naive = naive_stuck(p);
    const auto issues = mpi::find_issues(p);
    stuck += naive;
    ASSERT_EQ(naive, !issues.empty()) << "seed " << s << " round " << round;
    for (const auto &i : issues) {
      ASSERT_TRUE(i.kind == K::deadlock || i.kind == K::unmatched) << "round " << round;
      ASSERT_TRUE(i.uncertain.empty()) << "round " << round;
    }
  }
  EXPECT_GT(stuck, 100); // the generator makes both kinds
  EXPECT_LT(stuck, 2900);
}

// --- the rank count of a launch line ----------------------------------------------------------

TEST(RankCount, ReadsTheFirstLaunchLine) {
  EXPECT_EQ(mpi::ranks_in_source("// mpirun -np 4 ./ring\n"), 4);
  EXPECT_EQ(mpi::ranks_in_source("/* run: mpiexec --oversubscribe -n 8 ./a.out */"), 8);
  EXPECT_EQ(mpi::ranks_in_source("# srun --ntasks=16 ./x\n"), 16);
  EXPECT_EQ(mpi::ranks_in_source("// mpiexec -n 3 a\n// mpirun -np 5 b\n"), 3);
  EXPECT_EQ(mpi::ranks_in_source("// mpirun -np 5 b\n// mpiexec -n 3 a\n"), 5);
}

TEST(RankCount, IgnoresLinesWithoutACountAndAbsurdCounts) {
  EXPECT_EQ(mpi::ranks_in_source("int main() { return 0; }"), std::nullopt);
  EXPECT_EQ(mpi::ranks_in_source("// mpirun ./a.out\n"), std::nullopt);
  EXPECT_EQ(mpi::ranks_in_source("// mpirun -np 0 ./a\n"), std::nullopt);
  EXPECT_EQ(mpi::ranks_in_source("// mpirun -np 99999 ./a\n"), std::nullopt);
  EXPECT_EQ(mpi::ranks_in_source("// mpirun -np\n4"), std::nullopt);
}
