package io.neo4jaccess.exchange;

import io.neo4jaccess.exchange.ExchangeRefused.Reason;
import io.neo4jaccess.lease.Lease;
import io.neo4jaccess.lease.LeaseRepository;
import io.neo4jaccess.lease.LeaseState;
import io.neo4jaccess.lease.Revoker;
import io.neo4jaccess.token.GitLabClaims;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * A job giving its lease back before it ends ({@code after_script}). Only the job that holds the
 * lease may: the token's instance, project (where the job runs) and job must be the lease's.
 * Revoking only lowers access, so the caller's token may be one whose {@code jti} was consumed.
 */
@ApplicationScoped
public class SelfRevocation {

  private final LeaseRepository leases;
  private final Revoker revoker;

  @Inject
  public SelfRevocation(LeaseRepository leases, Revoker revoker) {
    this.leases = leases;
    this.revoker = revoker;
  }

  /**
   * Revokes the job's lease now; a lease already revoked stays so.
   *
   * @throws ExchangeRefused {@code NO_SUCH_LEASE} when no lease of that id belongs to the job
   */
  public void revoke(GitLabClaims claims, String leaseId) {
    Lease lease =
        leases
            .find(leaseId)
            .filter(l -> heldBy(l, claims))
            .orElseThrow(
                () -> new ExchangeRefused(Reason.NO_SUCH_LEASE, "No such lease for this job."));
    revoker.revoke(List.of(lease.id()), LeaseState.REVOCABLE, "self_revoke");
  }

  private static boolean heldBy(Lease lease, GitLabClaims claims) {
    return lease.job().instance().equals(claims.instance())
        && lease.job().project().id() == claims.runningProjectId()
        && lease.job().id() == claims.jobId();
  }
}
