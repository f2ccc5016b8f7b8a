(define (domain grounded-STRIPS-PSR)
  (:requirements :strips)
  (:predicates
    (NOT-CLOSED-CB1)
    (UPDATED-CB1)
    (NOT-CLOSED-SD1)
    (NOT-CLOSED-SD2)
    (CLOSED-CB1)
    (CLOSED-SD2)
    (CLOSED-SD1)
    (NOT-UPDATED-CB1)
    (do-CLOSE_SD1-condeffs)
    (do-WAIT_CB1-condeffs)
    (do-normal)
    (done-0))
  (:action CLOSE_SD2
    :parameters ()
    :precondition (and (do-normal) (NOT-CLOSED-SD2) (UPDATED-CB1))
    :effect (and (CLOSED-SD2) (not (NOT-CLOSED-SD2))))
  (:action CLOSE_SD1
    :parameters ()
    :precondition (and (do-normal) (NOT-CLOSED-SD1) (UPDATED-CB1))
    :effect (and
              (not (do-normal))
              (do-CLOSE_SD1-condeffs)
              (CLOSED-SD1)
              (not (NOT-CLOSED-SD1))))
  (:action CLOSE_SD1-condeff0-yes
    :parameters ()
    :precondition (and (do-CLOSE_SD1-condeffs) (CLOSED-CB1))
    :effect (and (done-0) (NOT-CLOSED-CB1) (not (CLOSED-CB1))))
  (:action CLOSE_SD1-condeff0-no-0
    :parameters ()
    :precondition (and (do-CLOSE_SD1-condeffs) (NOT-CLOSED-CB1))
    :effect (and (done-0)))
  (:action CLOSE_SD1-endof-condeffs
    :parameters ()
    :precondition (and (do-CLOSE_SD1-condeffs) (done-0))
    :effect (and (do-normal) (not (do-CLOSE_SD1-condeffs)) (not (done-0))))
  (:action CLOSE_CB1
    :parameters ()
    :precondition (and (do-normal) (NOT-CLOSED-CB1) (UPDATED-CB1))
    :effect (and
              (CLOSED-CB1)
              (NOT-UPDATED-CB1)
              (not (NOT-CLOSED-CB1))
              (not (UPDATED-CB1))))
  (:action OPEN-SD2
    :parameters ()
    :precondition (and (do-normal) (CLOSED-SD2) (UPDATED-CB1))
    :effect (and (NOT-CLOSED-SD2) (not (CLOSED-SD2))))
  (:action OPEN-SD1
    :parameters ()
    :precondition (and (do-normal) (CLOSED-SD1) (UPDATED-CB1))
    :effect (and (NOT-CLOSED-SD1) (not (CLOSED-SD1))))
  (:action OPEN-CB1
    :parameters ()
    :precondition (and (do-normal) (CLOSED-CB1) (UPDATED-CB1))
    :effect (and (NOT-CLOSED-CB1) (not (CLOSED-CB1))))
  (:action WAIT_CB1
    :parameters ()
    :precondition (and (do-normal) (NOT-UPDATED-CB1))
    :effect (and
              (not (do-normal))
              (do-WAIT_CB1-condeffs)
              (UPDATED-CB1)
              (not (NOT-UPDATED-CB1))))
  (:action WAIT_CB1-condeff0-yes
    :parameters ()
    :precondition (and (do-WAIT_CB1-condeffs) (CLOSED-SD1))
    :effect (and (done-0) (NOT-CLOSED-CB1) (not (CLOSED-CB1))))
  (:action WAIT_CB1-condeff0-no-0
    :parameters ()
    :precondition (and (do-WAIT_CB1-condeffs) (NOT-CLOSED-SD1))
    :effect (and (done-0)))
  (:action WAIT_CB1-endof-condeffs
    :parameters ()
    :precondition (and (do-WAIT_CB1-condeffs) (done-0))
    :effect (and (do-normal) (not (do-WAIT_CB1-condeffs)) (not (done-0))))
)
