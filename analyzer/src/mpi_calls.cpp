#include "mpi_calls.hpp"

#include <array>
#include <map>
#include <string>

namespace gridlock::analyzer::mpi {
namespace {

signature p2p(role r, send_mode m, bool blocking, int peer, int tag, int comm, int req = kNone) {
  signature s;
  s.what = r;
  s.mode = m;
  s.blocking = blocking;
  s.peer = peer;
  s.tag = tag;
  s.comm = comm;
  s.request = req;
  return s;
}

signature exchange(int dest, int tag, int source, int rtag, int comm) {
  signature s = p2p(role::sendrecv, send_mode::standard, true, dest, tag, comm);
  s.recv_peer = source;
  s.recv_tag = rtag;
  return s;
}

signature waits(int count, int requests, bool any, int flag = kNone) {
  signature s;
  s.flag = flag;
  s.what = role::wait_array;
  s.count = count;
  s.request = requests;
  s.any = any;
  return s;
}

signature test() {
  signature s = p2p(role::wait, send_mode::standard, true, kNone, kNone, kNone, 0);
  s.flag = 1;
  return s;
}

signature of(role r, int comm = kNone, bool blocking = true) {
  signature s;
  s.what = r;
  s.comm = comm;
  s.blocking = blocking;
  if (!blocking) s.request = kFindByType;
  return s;
}

std::map<std::string, signature, std::less<>> table() {
  using enum role;
  constexpr auto std_ = send_mode::standard, sync = send_mode::sync;
  std::map<std::string, signature, std::less<>> t{
      {"MPI_Send", p2p(send, std_, true, 3, 4, 5)},
      {"MPI_Bsend", p2p(send, std_, true, 3, 4, 5)},
      {"MPI_Rsend", p2p(send, std_, true, 3, 4, 5)},
      {"MPI_Ssend", p2p(send, sync, true, 3, 4, 5)},
      {"MPI_Isend", p2p(send, std_, false, 3, 4, 5, 6)},
      {"MPI_Ibsend", p2p(send, std_, false, 3, 4, 5, 6)},
      {"MPI_Irsend", p2p(send, std_, false, 3, 4, 5, 6)},
      {"MPI_Issend", p2p(send, sync, false, 3, 4, 5, 6)},
      {"MPI_Recv", p2p(recv, std_, true, 3, 4, 5)},
      {"MPI_Irecv", p2p(recv, std_, false, 3, 4, 5, 6)},
      {"MPI_Mprobe", p2p(recv, std_, true, 0, 1, 2)},
      {"MPI_Probe", p2p(probe, std_, true, 0, 1, 2)},
      {"MPI_Sendrecv", exchange(3, 4, 8, 9, 10)},
      {"MPI_Sendrecv_replace", exchange(3, 4, 5, 6, 7)},
      {"MPI_Wait", p2p(wait, std_, true, kNone, kNone, kNone, 0)},
      {"MPI_Test", test()},
      {"MPI_Waitall", waits(0, 1, false)},
      {"MPI_Testall", waits(0, 1, false, 2)},
      {"MPI_Waitany", waits(0, 1, true)},
      {"MPI_Testany", waits(0, 1, true, 3)},
      {"MPI_Waitsome", waits(0, 1, true)},
      {"MPI_Testsome", waits(0, 1, true)},
      {"MPI_Comm_rank", of(comm_rank, 0)},
      {"MPI_Comm_size", of(comm_size, 0)},
      {"MPI_Comm_dup", of(comm_dup, 0)},
      {"MPI_Abort", of(abort, 0)},
  };
  for (const char *c :
       {"MPI_Comm_split", "MPI_Comm_split_type", "MPI_Comm_create", "MPI_Cart_create",
        "MPI_Graph_create", "MPI_Dist_graph_create", "MPI_Intercomm_create"})
    t[c] = of(comm_other, 0);
  for (const char *c : {"Barrier", "Bcast", "Reduce", "Allreduce", "Gather", "Gatherv", "Scatter",
                        "Scatterv", "Allgather", "Allgatherv", "Alltoall", "Alltoallv", "Alltoallw",
                        "Reduce_scatter", "Reduce_scatter_block", "Scan", "Exscan"}) {
    t[std::string("MPI_") + c] = of(collective, kFindByType);
    t[std::string("MPI_I") + char(std::tolower(c[0])) + (c + 1)] =
        of(collective, kFindByType, false);
  }
  for (const char *c : {"MPI_Init",
                        "MPI_Init_thread",
                        "MPI_Finalize",
                        "MPI_Initialized",
                        "MPI_Finalized",
                        "MPI_Wtime",
                        "MPI_Wtick",
                        "MPI_Get_processor_name",
                        "MPI_Get_count",
                        "MPI_Get_elements",
                        "MPI_Get_version",
                        "MPI_Get_library_version",
                        "MPI_Query_thread",
                        "MPI_Is_thread_main",
                        "MPI_Comm_free",
                        "MPI_Request_free",
                        "MPI_Buffer_attach",
                        "MPI_Buffer_detach",
                        "MPI_Cancel",
                        "MPI_Iprobe",
                        "MPI_Improbe",
                        "MPI_Mrecv",
                        "MPI_Imrecv",
                        "MPI_Pcontrol",
                        "MPI_Comm_compare",
                        "MPI_Comm_group",
                        "MPI_Comm_get_name",
                        "MPI_Comm_set_name",
                        "MPI_Comm_set_errhandler",
                        "MPI_Comm_get_attr",
                        "MPI_Alloc_mem",
                        "MPI_Free_mem",
                        "MPI_Status_set_elements",
                        "MPI_Test_cancelled",
                        "MPI_Request_get_status",
                        "MPI_Cart_coords",
                        "MPI_Cart_rank",
                        "MPI_Cart_shift",
                        "MPI_Dims_create"})
    t[c] = of(local);
  return t;
}

constexpr std::array<std::string_view, 7> local_prefixes{
    "MPI_Type_",       "MPI_Op_",    "MPI_Info_",     "MPI_Group_",
    "MPI_Errhandler_", "MPI_Error_", "MPI_Add_error_"};

} // namespace

const signature *find_signature(std::string_view name) {
  static const auto t = table();
  static const signature local_call = of(role::local);
  if (const auto it = t.find(name); it != t.end()) return &it->second;
  for (std::string_view prefix : local_prefixes)
    if (name.substr(0, prefix.size()) == prefix) return &local_call;
  return nullptr;
}

} // namespace gridlock::analyzer::mpi
